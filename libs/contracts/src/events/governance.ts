import { z } from 'zod';
import { ModelName, RiskTier, Uuid, VersionNumber } from '../common';

export const CheckResult = z.object({ name: z.string().min(1), passed: z.boolean(), detail: z.string() });

export const ApprovalRequested = z.object({
  approvalId: Uuid,
  modelName: ModelName,
  version: VersionNumber,
  riskTier: RiskTier,
  requiredApprovals: z.number().int().nonnegative(),
  checks: z.array(CheckResult),
  requestedBy: z.string().min(1),
});

export const ApprovalDecided = z.object({
  approvalId: Uuid,
  modelName: ModelName,
  version: VersionNumber,
  decision: z.enum(['approved', 'rejected']),
  automatic: z.boolean(),
  decidedBy: z.array(z.string().min(1)),
  reason: z.string().min(1),
});
