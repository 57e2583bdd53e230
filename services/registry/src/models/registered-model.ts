import { z } from 'zod';
import { ModelName, RiskTier } from '@mlops/contracts';

export const Tags = z.record(z.string().min(1).max(128), z.string().max(512));

export const NewRegisteredModel = z.object({
  name: ModelName,
  owner: z.string().trim().min(1, 'must name the owner'),
  description: z.string().max(10_000).default(''),
  // The EU AI Act's prohibited practices may not be placed on the market: such a model is refused here, by name.
  riskTier: z
    .enum(RiskTier.options, {
      error: (issue) =>
        issue.input === 'prohibited' ? 'prohibited models may not be registered' : `must be one of ${RiskTier.options.join(', ')}`,
    })
    .default('limited'),
  tags: Tags.default({}),
});
export type NewRegisteredModel = z.infer<typeof NewRegisteredModel>;

export interface RegisteredModel extends NewRegisteredModel {
  createdAt: string;
  latestVersion: number | null;
}
