import type { CheckOutcome } from '../checks/check-outcome';
import { openingOf } from './approval-rules';
import { separationOfDutiesViolation, VersionParties } from './separation-of-duties';

const parties: VersionParties = { requestedBy: 'alice', registeredBy: null, owner: 'team-growth' };
const check = (passed: boolean): CheckOutcome => ({ name: 'x', passed, detail: '', threshold: null, evidence: null });

describe('separation of duties', () => {
  it('keeps whoever requested the training, uploaded the version or owns the model from approving it', () => {
    expect(separationOfDutiesViolation({ id: 'p-1', name: 'alice' }, parties, [])).toMatch(/alice requested the training/);
    expect(separationOfDutiesViolation({ id: 'bob', name: 'Bob B.' }, { ...parties, registeredBy: 'bob' }, [])).toMatch(/registered this version/);
    expect(separationOfDutiesViolation({ id: 'p-3', name: 'team-growth' }, parties, [])).toMatch(/owns this model/);
    expect(separationOfDutiesViolation({ id: 'p-4', name: 'carol' }, parties, [])).toBeNull();
  });

  it('counts one approver once: the second approval must come from someone else', () => {
    expect(separationOfDutiesViolation({ id: 'p-4', name: 'carol' }, parties, ['p-4'])).toMatch(/approved this version already/);
    expect(separationOfDutiesViolation({ id: 'p-5', name: 'dave' }, parties, ['p-4'])).toBeNull();
  });
});

describe('opening of an approval request', () => {
  it('approves alone only a minimal-risk version passing every check', () => {
    expect(openingOf('minimal', [check(true), check(true)])).toEqual({ status: 'Approved', requiredApprovals: 0, reason: 'minimal risk and all 2 checks passed' });
    expect(openingOf('minimal', [check(true), check(false)])).toEqual({ status: 'PendingManualApproval', requiredApprovals: 1 });
    expect(openingOf('limited', [check(true)])).toEqual({ status: 'PendingManualApproval', requiredApprovals: 1 });
  });

  it('needs two approvers for high risk and rejects a prohibited model alone', () => {
    expect(openingOf('high', [check(true)])).toEqual({ status: 'PendingManualApproval', requiredApprovals: 2 });
    expect(openingOf('prohibited', [check(true)])).toMatchObject({ status: 'Rejected', requiredApprovals: 0 });
  });
});
