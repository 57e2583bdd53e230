import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@mlops/auth';
import type { Approval, RolloutRecord } from '@mlops/contracts';
import { RecordPlatformFacts } from '../facts/record-platform-facts.use-case';
import { ModelCardRepository } from '../model-cards/model-card.repository';
import { DecideRollout } from '../rollouts/decide-rollout.use-case';
import { GovernanceHarness, platformEvent } from '../test-support/governance-harness';
import { StoryOptions, trainedVersion } from '../test-support/version-story';

// Callers are the test principals of their role, named test-<role>, through the real API key guard. The approver
// and the admin are the two who may decide.
describe('policies, checks and approvals (real Postgres and Kafka)', () => {
  let governance: GovernanceHarness;
  let facts: RecordPlatformFacts;
  const modelName = (label: string) => `gov-int-${label}-${randomUUID().slice(0, 8)}`;
  type Answer = Approval & { message?: unknown };
  const get = <T = Answer>(path: string, role: Role) => governance.call<T>('GET', path, undefined, role);
  const post = <T = Answer>(path: string, role: Role, body?: unknown) => governance.call<T>('POST', path, body, role);

  beforeAll(async () => {
    governance = await GovernanceHarness.start();
    facts = governance.app.get(RecordPlatformFacts);
  }, 60_000);

  afterAll(async () => {
    await governance?.stop();
  });

  async function applyPolicy(policy: Record<string, unknown>): Promise<void> {
    const applied = await post('/policies/apply', 'admin', { policies: [policy] });
    expect(applied.status).toBe(200);
  }

  /** What a data scientist writes on a card before review: every field a high-risk card requires. */
  async function writeCard(model: string, version: number): Promise<void> {
    const cards = governance.app.get(ModelCardRepository);
    await governance.app.get(DataSource).transaction(async (manager) => {
      await cards.lockForEdit(manager, model, version);
      const fields = {
        description: 'churn risk per customer',
        useCases: ['retention offers'],
        limitations: ['customers under 30 days old'],
        users: ['retention team'],
        ethicalConsiderations: [{ name: 'age proxy', mitigationStrategy: 'group-gap check' }],
        tradeoffs: ['recall over precision'],
        evaluationDataDescription: 'the last week of labelled customers',
      };
      await cards.saveEdits(manager, model, version, fields, 'dana', new Date());
    });
  }

  /**
   * Delivers a trained version's events; the registration before its run, as Kafka may order two topics. Its card is
   * written first unless the test says otherwise.
   */
  async function deliver(model: string, version: number, options: StoryOptions & { card?: 'written' | 'empty' } = {}) {
    if (options.card !== 'empty') await writeCard(model, version);
    const story = trainedVersion(model, version, options);
    await facts.trainingRequested(story.requested);
    await facts.versionRegistered(story.registered);
    const waiting = await get(`/approvals/${model}/${version}`, 'auditor');
    expect(waiting.status).toBe(404);
    await facts.trainingCompleted(story.completed);
    return story;
  }

  const show = async (model: string, version: number): Promise<Approval> => (await get(`/approvals/${model}/${version}`, 'auditor')).body;

  it('approves a minimal-risk version passing every check by itself, once however often its events arrive', async () => {
    const model = modelName('minimal');
    await applyPolicy({ model, riskTier: 'minimal', checks: { metricFloors: [{ metric: 'auc', min: 0.8 }] } });
    const story = await deliver(model, 1);
    expect(await facts.versionRegistered(story.registered)).toBe(false);
    expect(await facts.trainingCompleted(story.completed)).toBe(false);

    const approval = await show(model, 1);
    expect(approval).toMatchObject({ status: 'Approved', riskTier: 'minimal', policyVersion: 1, requiredApprovals: 0, requestedBy: 'alice', checksPassed: true });
    expect(approval.checks.map((c) => c.name)).toEqual(['metric-floor:auc', 'model-card-complete', 'risk-tier', 'signature-compatible']);
    expect(approval.checks.find((c) => c.name === 'metric-floor:auc')).toMatchObject({ threshold: { min: 0.8, max: null }, evidence: { value: 0.9 } });
    expect(approval.decisions).toEqual([expect.objectContaining({ reviewer: 'policy', decision: 'approve', automatic: true })]);

    const [requested] = await governance.awaitEvents('mlops.governance.approval-requested', model, 1);
    expect(requested.data).toMatchObject({ approvalId: approval.approvalId, requiredApprovals: 0, riskTier: 'minimal' });
    const decided = await governance.awaitEvents('mlops.governance.approval-decided', model, 1);
    expect(decided.map((e) => e.data)).toEqual([
      { approvalId: approval.approvalId, modelName: model, version: 1, decision: 'approved', automatic: true, decidedBy: ['policy'], reason: 'minimal risk and all 4 checks passed' },
    ]);
  });

  it('leaves a limited-risk version to an approver who had no hand in it, with reviewer, reason and time', async () => {
    const model = modelName('limited');
    await deliver(model, 1, { requestedBy: 'test-approver', owner: 'team-growth', riskTier: 'limited' });
    await deliver(model, 2, { requestedBy: 'alice', owner: 'test-approver', riskTier: 'limited' });
    expect(await show(model, 1)).toMatchObject({ status: 'PendingManualApproval', policyVersion: null, requiredApprovals: 1 });

    for (const version of [1, 2]) {
      const refused = await post(`/approvals/${model}/${version}/approve`, 'approver', { reason: 'mine' });
      expect(refused.status).toBe(403);
    }
    expect((await post(`/approvals/${model}/1/approve`, 'admin', {})).body.message).toEqual(['body.reason: must say why']);
    const approved = await post(`/approvals/${model}/1/approve`, 'admin', { reason: 'metrics and card reviewed' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'Approved', approvals: 1, decisions: [{ reviewer: 'test-admin', decision: 'approve', reason: 'metrics and card reviewed', automatic: false }] });
    expect(Date.parse(approved.body.decidedAt ?? '')).not.toBeNaN();

    const decided = await governance.awaitEvents('mlops.governance.approval-decided', model, 1);
    expect(decided[0].data).toMatchObject({ decision: 'approved', automatic: false, decidedBy: ['test-admin'], reason: 'metrics and card reviewed' });
    const again = await post(`/approvals/${model}/1/reject`, 'approver', { reason: 'too late' });
    expect(again.status).toBe(409);
  });

  it('holds a limited-risk version whose card people have not written until it is written and checked again', async () => {
    const model = modelName('card');
    await deliver(model, 1, { riskTier: 'limited', card: 'empty' });
    const pending = await show(model, 1);
    expect(pending).toMatchObject({ status: 'PendingManualApproval', checksPassed: false });
    expect(pending.checks.find((c) => c.name === 'model-card-complete')).toMatchObject({
      passed: false,
      detail: expect.stringContaining('considerations.useCases'),
    });
    const refused = await post(`/approvals/${model}/1/approve`, 'approver', { reason: 'looks fine' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/failed model-card-complete/);

    await writeCard(model, 1);
    const rechecked = await post(`/approvals/${model}/1/recheck`, 'data-scientist');
    expect(rechecked.body).toMatchObject({ status: 'PendingManualApproval', checksPassed: true });
    expect((await post(`/approvals/${model}/1/approve`, 'approver', { reason: 'card reviewed' })).status).toBe(200);
  });

  it('refuses to approve a version that failed a check, until a recheck under a new policy passes', async () => {
    const model = modelName('failing');
    await applyPolicy({ model, riskTier: 'limited', checks: { noRegression: [{ metric: 'auc', tolerance: 0 }] } });
    await deliver(model, 1, { metrics: { auc: 0.8 }, championMetrics: { auc: 0.85 }, parentVersion: 7 });
    const pending = await show(model, 1);
    expect(pending.checks.find((c) => c.name === 'no-regression:auc')).toMatchObject({ passed: false, evidence: { candidate: 0.8, champion: 0.85 } });
    const refused = await post(`/approvals/${model}/1/approve`, 'approver', { reason: 'looks fine' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/failed no-regression:auc/);

    await applyPolicy({ model, riskTier: 'minimal', checks: { noRegression: [{ metric: 'auc', tolerance: 0.1 }] } });
    const rechecked = await post(`/approvals/${model}/1/recheck`, 'data-scientist');
    expect(rechecked.body).toMatchObject({ status: 'Approved', policyVersion: 2, riskTier: 'minimal', checksPassed: true });
  });

  it('needs two distinct approvers for high risk: deciding at once, they produce exactly one decision', async () => {
    const model = modelName('high');
    await applyPolicy({ model, riskTier: 'high' });
    await deliver(model, 1);
    const [first, second] = await Promise.all(
      (['approver', 'admin'] as const).map((role) => post(`/approvals/${model}/1/approve`, role, { reason: `the ${role} agrees` })),
    );
    expect([first.status, second.status]).toEqual([200, 200]);
    const approval = await show(model, 1);
    expect(approval).toMatchObject({ status: 'Approved', approvals: 2, requiredApprovals: 2 });
    const decided = await governance.awaitEvents('mlops.governance.approval-decided', model, 1);
    expect(decided).toHaveLength(1);
    expect([...decided[0].data.decidedBy].sort()).toEqual(['test-admin', 'test-approver']);
  });

  it('lets only one of two approvers deciding opposite ways at once win, on every try', async () => {
    const models = Array.from({ length: 5 }, () => modelName('race'));
    for (const model of models) await deliver(model, 1);
    await Promise.all(
      models.map(async (model) => {
        const answers = await Promise.all([
          post(`/approvals/${model}/1/approve`, 'approver', { reason: 'ship it' }),
          post(`/approvals/${model}/1/reject`, 'admin', { reason: 'not yet' }),
        ]);
        expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      }),
    );
    for (const model of models) {
      const decided = await governance.awaitEvents('mlops.governance.approval-decided', model, 1);
      expect(decided).toHaveLength(1);
      expect((await show(model, 1)).status).toBe(decided[0].data.decision === 'approved' ? 'Approved' : 'Rejected');
    }
  });

  it('revokes an approval through the outbox, by any approver', async () => {
    const model = modelName('revoke');
    await applyPolicy({ model, riskTier: 'minimal' });
    await deliver(model, 1, { requestedBy: 'test-approver' });
    expect((await post(`/approvals/${model}/1/revoke`, 'approver', { reason: 'leaks a feature from the future' })).status).toBe(200);
    expect((await show(model, 1)).status).toBe('Revoked');
    const decided = await governance.awaitEvents('mlops.governance.approval-decided', model, 2);
    expect(decided[1].data).toMatchObject({ decision: 'revoked', decidedBy: ['test-approver'], reason: 'leaks a feature from the future' });
  });

  it('rejects a prohibited model by itself', async () => {
    const model = modelName('prohibited');
    await applyPolicy({ model, riskTier: 'prohibited' });
    await deliver(model, 1);
    expect(await show(model, 1)).toMatchObject({ status: 'Rejected', checksPassed: false });
    const decided = await governance.awaitEvents('mlops.governance.approval-decided', model, 1);
    expect(decided[0].data).toMatchObject({ decision: 'rejected', automatic: true });
  });

  it('turns rollout verdicts into decisions by the rollout mode of the policy', async () => {
    const decideRollout = governance.app.get(DecideRollout);
    const verdict = (model: string, kind: 'promote' | 'rollback' | 'continue') =>
      platformEvent('mlops.monitor.rollout-verdict', {
        modelName: model,
        championVersion: 1,
        challengerVersion: 2,
        verdict: kind,
        championMetrics: { auc: 0.8 },
        challengerMetrics: { auc: 0.85 },
        reason: 'challenger better on 5000 labelled predictions',
        window: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
      });
    const auto = modelName('auto');
    await applyPolicy({ model: auto, riskTier: 'limited', rollout: 'auto' });
    const promote = verdict(auto, 'promote');
    await decideRollout.fromVerdict(promote);
    expect(await decideRollout.fromVerdict(promote)).toBe(false);
    await decideRollout.fromVerdict(verdict(auto, 'continue'));
    const [promoted] = await governance.awaitEvents('mlops.governance.rollout-decided', auto, 1);
    expect(promoted.data).toMatchObject({ action: 'promote', championVersion: 1, challengerVersion: 2, automatic: true, decidedBy: ['policy'] });

    const manual = modelName('manual');
    await decideRollout.fromVerdict(verdict(manual, 'promote'));
    await decideRollout.fromVerdict(verdict(manual, 'rollback'));
    const rollouts = (await get<{ items: RolloutRecord[] }>(`/rollouts?model=${manual}`, 'auditor')).body.items;
    expect(rollouts.map((r) => [r.verdict, r.status]).sort()).toEqual([['promote', 'PendingApproval'], ['rollback', 'Applied']]);
    const pending = rollouts.find((r) => r.status === 'PendingApproval') as RolloutRecord;
    const approved = await post<RolloutRecord>(`/rollouts/${pending.decisionId}/approve`, 'approver', { reason: 'challenger wins' });
    expect(approved.body).toMatchObject({ status: 'Applied', decidedBy: ['test-approver'] });
    const decided = await governance.awaitEvents('mlops.governance.rollout-decided', manual, 2);
    expect(decided.map((e) => [e.data.action, e.data.automatic]).sort()).toEqual([['promote', false], ['rollback', true]]);
  });
});
