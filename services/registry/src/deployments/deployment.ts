import { z } from 'zod';
import { DeploymentChanged, VersionNumber } from '@mlops/contracts';

export type DeploymentSpec = z.infer<typeof DeploymentChanged>;

const weight = z.number().gt(0, 'must be above 0').lt(1, 'must be below 1');

/** What a caller asks to serve; the artifacts of each version are filled in by the registry. */
export const DeploymentRequest = z
  .object({
    champion: VersionNumber.nullable(),
    challenger: z
      .discriminatedUnion('mode', [
        z.object({ version: VersionNumber, mode: z.literal('canary'), weight }),
        z.object({ version: VersionNumber, mode: z.literal('shadow') }),
        z.object({ version: VersionNumber, mode: z.literal('ab'), stickyKey: z.string().min(1), weight }),
      ])
      .nullable()
      .default(null),
    /** Replaced by the caller's name: the serving history says who changed it, not who the body claims did. */
    changedBy: z.string().optional(),
    reason: z.string().trim().min(1, 'must say why'),
  })
  .refine((req) => req.challenger === null || req.champion !== null, {
    path: ['challenger'],
    message: 'needs a champion to be challenged',
  })
  .refine((req) => req.challenger === null || req.challenger.version !== req.champion, {
    path: ['challenger', 'version'],
    message: 'must differ from the champion',
  });
export type DeploymentRequest = Omit<z.infer<typeof DeploymentRequest>, 'changedBy'> & { changedBy: string };

export interface DeploymentHistoryEntry extends DeploymentSpec {
  validFrom: string;
  validTo: string | null;
}
