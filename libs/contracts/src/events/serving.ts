import { z } from 'zod';
import { IsoTime, ModelName, Tensor, VersionNumber } from '../common';

export const PredictionLogged = z.object({
  requestId: z.string().min(1),
  modelName: ModelName,
  version: VersionNumber,
  role: z.enum(['champion', 'challenger', 'shadow']),
  inputs: z.array(Tensor),
  outputs: z.array(Tensor),
  latencyMs: z.number().nonnegative(),
  timestamp: IsoTime,
});

export const LabelObserved = z.object({
  requestId: z.string().min(1),
  modelName: ModelName,
  label: z.union([z.number(), z.string(), z.boolean()]),
  observedAt: IsoTime,
});
