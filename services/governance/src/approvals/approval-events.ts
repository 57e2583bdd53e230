import { createEvent, EventInput, PlatformEvent } from '@mlops/contracts';
import type { CheckOutcome } from '../checks/check-outcome';
import type { NewApproval } from './approval.repository';

export function approvalRequestedEvent(approval: NewApproval, checks: CheckOutcome[]): PlatformEvent<'mlops.governance.approval-requested'> {
  return createEvent(
    'mlops.governance.approval-requested',
    {
      approvalId: approval.approvalId,
      modelName: approval.modelName,
      version: approval.version,
      riskTier: approval.riskTier,
      requiredApprovals: approval.requiredApprovals,
      checks: checks.map(({ name, passed, detail }) => ({ name, passed, detail })),
      requestedBy: approval.requestedBy,
    },
    { source: 'governance' },
  );
}

export function approvalDecidedEvent(
  decided: EventInput<'mlops.governance.approval-decided'>,
): PlatformEvent<'mlops.governance.approval-decided'> {
  return createEvent('mlops.governance.approval-decided', decided, { source: 'governance' });
}
