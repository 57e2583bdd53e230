import { randomUUID } from 'node:crypto';
import { MlTestScoreResponse, unlessNotFound } from '@mlops/contracts';
import { ObjectStore } from '@mlops/storage';
import { runMlops, waitFor } from '@mlops/testing';
import { GovernanceHarness, uniqueName } from './test-support/governance-harness';
import {
  approvalDecided,
  approvalRequested,
  deploymentChanged,
  performanceDegraded,
  predictionLogged,
  trainingCompleted,
  trainingRequested,
  versionRegistered,
} from './test-support/sample-events';
import { localS3 } from '@mlops/config';

const HOUR = 3600_000;

/**
 * One model's life as its events reach governance over Kafka, ten days ago: v1 trained (request to serving 2 h),
 * v2 trained, canaried beside v1, promoted (3 h after its request), degraded 1 h later and rolled back to v1 1 h
 * after that.
 */
describe('what governance builds from a model lifecycle on real Kafka, Postgres and MinIO', () => {
  let governance: GovernanceHarness;
  const model = uniqueName('lifecycle-');
  const t0 = Math.floor(Date.now() / HOUR) * HOUR - 240 * HOUR;
  const at = (hours: number) => new Date(t0 + hours * HOUR);

  beforeAll(async () => {
    governance = await GovernanceHarness.start();
    const publish = governance.publish.bind(governance);
    for (const [version, hours] of [
      [1, 0],
      [2, 24],
    ] as const) {
      const request = trainingRequested(model);
      const run = trainingCompleted(model, request.requestId);
      const approval = approvalRequested(model, version);
      await publish('mlops.training.requested', request, { time: at(hours) });
      await publish('mlops.training.completed', run, { time: at(hours + 0.5) });
      await publish('mlops.registry.version-registered', versionRegistered(model, version, { runId: run.runId, registeredAt: at(hours + 0.6) }), { time: at(hours + 0.6) });
      await publish('mlops.governance.approval-requested', approval, { time: at(hours + 0.7) });
      await publish('mlops.governance.approval-decided', approvalDecided(model, version, approval.approvalId), { time: at(hours + 0.8) });
    }
    const deploy = (revision: number, champion: number, hours: number, challenger?: { version: number; mode: 'canary'; weight: number }) =>
      publish('mlops.registry.deployment-changed', deploymentChanged(model, revision, champion, at(hours), challenger), { time: at(hours) });
    await deploy(1, 1, 2);
    await deploy(2, 1, 26, { version: 2, mode: 'canary', weight: 0.1 });
    await deploy(3, 2, 27);
    await publish('mlops.monitor.performance-degraded', performanceDegraded(model, 2, at(28)), { time: at(28) });
    await deploy(4, 1, 29);
    for (let i = 0; i < 3; i++) await publish('mlops.predictions.logged', predictionLogged(model));
    await waitFor('the lifecycle chained', async () => {
      const res = await governance.api().listAuditEntries({ query: { subject: model, limit: 1000 } });
      // Governance also answers the registrations with approval requests of its own, stamped now: the story's
      // fifteen entries are those dated in its past.
      return res.items.filter((e) => Date.parse(e.occurredAt) <= at(30).getTime()).length === 15;
    });
  });

  afterAll(async () => {
    await governance?.stop();
  });

  it('answers what served at a time, approved by whom, on which evidence, citing verifiable entries', async () => {
    const servedAt = (hours: number) => governance.api().servedAt({ params: { name: model }, query: { at: at(hours).toISOString() } });
    const res = await servedAt(27.5);
    expect(res.deployment).toMatchObject({ revision: 3, changedBy: 'ops' });
    expect(res.champion).toMatchObject({
      version: 2,
      approval: { decision: 'approved', decidedBy: ['erin'], requestedBy: 'dana', checks: [{ name: 'metric-floor', passed: true }, { name: 'no-regression', passed: true }] },
      training: { requestedBy: 'dana', algorithm: 'gbdt_classifier', datasetSha256: 'd'.repeat(64) },
    });
    expect(res.challenger).toBeNull();
    const chain = await governance.api().listAuditEntries({ query: { subject: model, limit: 1000 } });
    const hashes = new Map(chain.items.map((e) => [e.seq, e.entrySha256]));
    expect(res.citations.length).toBe(6);
    for (const citation of res.citations) expect(hashes.get(citation.seq)).toBe(citation.entrySha256);
    expect((await governance.api().verifyAuditTrail()).valid).toBe(true);

    expect(await servedAt(26.5)).toMatchObject({ champion: { version: 1 }, challenger: { version: 2, mode: 'canary', weight: 0.1 } });
    expect(await unlessNotFound(servedAt(1))).toBeUndefined();
    expect((await governance.call<{ message: string[] }>('GET', `/models/${model}/served-at?at=yesterday`)).body.message[0]).toMatch(/^query\.at: must be an ISO 8601 time/);
  });

  it("renders each version's card into the reports bucket, lets people complete it and audits who did", async () => {
    const card = { params: { name: model, version: 2 } };
    const generated = await governance.api().modelCard(card);
    expect(generated.card.quantitativeAnalysis.metrics.map((m) => m.name)).toEqual(['accuracy', 'auc']);
    expect(generated.completeness.missing).toContain('modelDetails.description');
    expect(generated.rendered?.markdownUri).toBe(`s3://mlops-reports/cards/${model}/2/card.md`);

    const refused = await governance.call<{ message: string[] }>('PATCH', `/models/${model}/versions/2/card`, { riskTier: 'minimal', owners: 'dana' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toEqual(expect.arrayContaining(['body.owners: Invalid input: expected array, received string', 'body: Unrecognized key: "riskTier"']));

    const patch = {
      description: 'Churn <b>risk</b> per customer',
      owners: [{ name: 'dana', contact: 'dana@example.com' }],
      useCases: ['retention offers'],
      limitations: ['customers under 30 days old'],
      users: ['retention team'],
      ethicalConsiderations: [{ name: 'tenure as an age proxy', mitigationStrategy: 'group-gap check' }],
    };
    const edited = await governance.api('data-scientist').editModelCard({ ...card, body: patch });
    expect(edited.completeness).toEqual({ complete: true, missing: [] });
    expect(edited.card.lastEdit?.by).toBe('test-data-scientist');
    expect(edited.rendered?.cardSha256).not.toBe(generated.rendered?.cardSha256);

    const html = await governance.api().modelCardHtml(card);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('Churn &lt;b&gt;risk&lt;/b&gt; per customer');
    const markdown = await (await governance.api().modelCardMarkdown(card)).text();
    expect(markdown).toContain('| auc | 0.91 | 0.89 |');
    const rendered = edited.rendered;
    if (!rendered) throw new Error('the edited card was not rendered');
    const stored = await new ObjectStore(localS3('admin')).readVerified(
      rendered.markdownUri,
      rendered.markdownSha256,
    );
    expect(stored.toString('utf8')).toBe(markdown);

    const audit = await governance.api().listAuditEntries({ query: { subject: model, type: 'governance.model-card-edited.v1' } });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0].data).toMatchObject({ version: 2, editedBy: 'test-data-scientist', patch: { owners: patch.owners } });
    expect(await unlessNotFound(governance.api().modelCard({ params: { name: model, version: 9 } }))).toBeUndefined();
  });

  it('computes delivery metrics from the sequence, through the API and Prometheus', async () => {
    const query = { from: at(0).toISOString(), to: at(48).toISOString() };
    const res = await governance.api().modelDeliveryMetrics({ params: { name: model }, query });
    expect(res.platform).toEqual({
      deployments: 3,
      deploymentsPerDay: 1.5,
      leadTime: { measured: 2, medianSeconds: 2.5 * 3600, meanSeconds: 2.5 * 3600 },
      changeFailure: { changes: 2, failed: 1, rolledBack: 1, degraded: 1, rate: 0.5 },
      timeToRestore: { incidents: 1, restored: 1, open: 0, medianSeconds: 3600 },
    });
    const metrics = await governance.call('GET', '/metrics');
    expect(metrics.text).toContain(`mlops_governance_change_failure_ratio{model="${model}",service="governance"} 0.5`);
    expect(metrics.text).toContain(`mlops_governance_lead_time_median_seconds{model="${model}",service="governance"} 9000`);
    expect(metrics.text).toMatch(/mlops_governance_deployment_frequency_per_day\{model="\*",service="governance"\} [\d.e-]+/);
  });

  it('scores the model against the ML Test Score rubric and takes manual evidence with a link', async () => {
    const score = () => governance.api().mlTestScore({ params: { name: model } });
    const before = await score();
    expect(before.version).toBe(1);
    const points = (score: MlTestScoreResponse, id: string) => score.tests.find((t) => t.id === id)?.points;
    expect(points(before, 'model-1')).toBe(1);
    expect(points(before, 'infrastructure-5')).toBe(1);
    expect(points(before, 'infrastructure-7')).toBe(1);
    expect(points(before, 'data-2')).toBe(0);

    const link = `https://wiki.example/${randomUUID()}`;
    const recorded = await governance.api('data-scientist').recordMlTestEvidence({ params: { name: model }, body: { test: 'data-2', link } });
    expect(recorded).toMatchObject({ test: 'data-2', link, recordedBy: 'test-data-scientist' });
    const after = await score();
    expect(points(after, 'data-2')).toBe(0.5);
    expect(after.sections.find((s) => s.section === 'data')?.points).toBe((before.sections.find((s) => s.section === 'data')?.points ?? 0) + 0.5);

    const bad = await governance.call<{ message: string[] }>('POST', `/models/${model}/ml-test-score/evidence`, { test: 'data-9', link: 'ftp://x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(['body.test: must be a test id such as data-1 or monitoring-7', 'body.link: must be an http(s) URL to the record of the manual test']);
  });

  it('is what the mlops CLI shows: audit verify, export, served-at, card, score and delivery', async () => {
    const mlops = (...args: string[]) => runMlops({ MLOPS_GOVERNANCE_URL: governance.url }, args);
    const verified = await mlops('audit', 'verify');
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit chain intact: \d+ entries, head \d+ [0-9a-f]{64}/) });
    // The export sends the caller's key like every other command, and honours its own --after, which `audit` shares.
    const { head } = JSON.parse((await mlops('--json', 'audit', 'verify')).stdout) as { head: { seq: number; entrySha256: string } };
    const exported = await mlops('audit', 'export', '--after', String(head.seq - 1));
    expect(exported.code).toBe(0);
    expect((JSON.parse(exported.stdout.split('\n')[0]) as { entrySha256: string }).entrySha256).toBe(head.entrySha256);
    const listed = await mlops('--json', 'audit', '--model', model, '--type', 'mlops.registry.deployment-changed.v1');
    expect(JSON.parse(listed.stdout).items).toHaveLength(4);
    const served = await mlops('audit', 'served-at', model, '--at', at(27.5).toISOString());
    expect(served.stdout).toContain('champion v2');
    expect(served.stdout).toContain('approved by erin');
    const card = await mlops('card', model, '2');
    expect(card.stdout).toMatch(/^# Model card: .* version 2\n/);
    const score = await mlops('score', model);
    expect(score.stdout).toMatch(/^ML Test Score of .* \(version 1\): \d/);
    const delivery = await mlops('--json', 'delivery', '--model', model, '--from', at(0).toISOString(), '--to', at(48).toISOString());
    expect(JSON.parse(delivery.stdout).platform.changeFailure.rate).toBe(0.5);
    expect((await mlops('card', model, '9')).code).toBe(3);
  });
});
