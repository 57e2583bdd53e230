import { z } from 'zod';
import { MAX_BINS } from './feature-binner';

export const GbdtParams = z
  .object({
    numIterations: z.number().int().min(1).max(100_000).default(100),
    learningRate: z.number().gt(0).max(1).default(0.1),
    /** Trees grow leaf-wise (best gain first) up to this many leaves. */
    numLeaves: z.number().int().min(2).max(65_536).default(31),
    /** 0 means no depth limit. */
    maxDepth: z.number().int().min(0).default(0),
    minChildSamples: z.number().int().min(1).default(20),
    minSumHessian: z.number().nonnegative().default(1e-3),
    /** L2 penalty on leaf values. */
    l2: z.number().nonnegative().default(0),
    maxBins: z.number().int().min(2).max(MAX_BINS).default(MAX_BINS),
    /** Fraction of rows each tree is grown on, drawn anew per tree. */
    rowSubsample: z.number().gt(0).max(1).default(1),
    /** Fraction of features each tree may split on, drawn anew per tree. */
    colSubsample: z.number().gt(0).max(1).default(1),
    /** Stop after this many rounds without a better validation loss and keep the best round; 0 turns it off. */
    earlyStoppingRounds: z.number().int().min(0).default(0),
    /** Share of the training rows held out for early stopping when no validation set is given. */
    validationFraction: z.number().gt(0).max(0.5).default(0.1),
  })
  .strict();
export type GbdtParams = z.infer<typeof GbdtParams>;
