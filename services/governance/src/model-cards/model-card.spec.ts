import { createEvent, EventInput, TopicName } from '@mlops/contracts';
import { EventHistory } from '../audit-log/event-history';
import { approvalDecided, approvalRequested, trainingCompleted, versionRegistered } from '../test-support/sample-events';
import { buildModelCard, CardEdits } from './build-model-card';
import type { VersionFacts } from '../facts/model-facts';
import { cardCompleteness, versionCardCompleteness } from './card-completeness';
import { cardDocument } from './card-document';
import { applyPatch } from './edit-model-card.use-case';
import { renderHtml, renderMarkdown } from './render-card';

function historyOf(...events: [TopicName, EventInput<TopicName>][]): EventHistory {
  const byType = new Map<string, never[]>();
  events.forEach(([topic, data], i) => {
    const event = createEvent(topic, data as never, { source: 'registry' });
    const entry = { ...event, seq: i + 1, eventId: event.id, eventType: event.type, occurredAt: event.time, recordedAt: event.time, contentSha256: '', previousSha256: '', entrySha256: '' };
    byType.set(event.type, [...(byType.get(event.type) ?? []), entry as never]);
  });
  return new EventHistory(byType);
}

const run = trainingCompleted('churn', '5b0c1b43-8a6f-4e0b-9d56-0f5a7b2f0c11');
const approval = approvalRequested('churn', 2);
const history = historyOf(
  ['mlops.registry.version-registered', versionRegistered('churn', 2, { runId: run.runId, riskTier: 'limited' })],
  ['mlops.training.completed', run],
  ['mlops.governance.approval-requested', approval],
  ['mlops.governance.approval-decided', approvalDecided('churn', 2, approval.approvalId)],
);
const noEdits: CardEdits = { fields: {}, lastEdit: null };

describe('model cards', () => {
  it('fills the generated sections from registration, training run and approval', () => {
    const card = buildModelCard('churn', 2, history, noEdits);
    expect(card?.modelParameters).toMatchObject({ architecture: 'gbdt_classifier', hyperparameters: { learningRate: 0.1, trees: 50 }, trainingData: { sha256: 'd'.repeat(64) } });
    expect(card?.quantitativeAnalysis.metrics).toEqual([
      { name: 'accuracy', value: 0.87, championValue: 0.86 },
      { name: 'auc', value: 0.91, championValue: 0.89 },
    ]);
    expect(card?.quantitativeAnalysis.approval).toMatchObject({ decision: 'approved', decidedBy: ['erin'] });
    expect(buildModelCard('churn', 3, history, noEdits)).toBeNull();
  });

  it("lists the empty fields the version's risk tier requires until people fill them", () => {
    const card = buildModelCard('churn', 2, history, noEdits);
    expect(card && cardCompleteness(card).missing).toEqual([
      'modelDetails.owners',
      'modelDetails.description',
      'considerations.useCases',
      'considerations.limitations',
      'considerations.users',
      'considerations.ethicalConsiderations',
    ]);
    const fields = applyPatch({}, {
      description: 'Churn risk per customer',
      owners: [{ name: 'dana' }],
      useCases: ['retention offers'],
      limitations: ['customers under 30 days old'],
      users: ['retention team'],
      ethicalConsiderations: [{ name: 'age proxy', mitigationStrategy: 'group-gap check' }],
    });
    const filled = buildModelCard('churn', 2, history, { fields, lastEdit: null });
    expect(filled && cardCompleteness(filled)).toEqual({ complete: true, missing: [] });
  });

  it('asks of a minimal-risk card only what the platform fills: owner, training data, metrics', () => {
    const minimal = historyOf(
      ['mlops.registry.version-registered', { ...versionRegistered('churn', 1, { runId: run.runId, riskTier: 'minimal' }), owner: 'dana' }],
      ['mlops.training.completed', run],
    );
    const card = buildModelCard('churn', 1, minimal, noEdits);
    expect(card?.modelDetails.owners).toEqual([{ name: 'dana' }]);
    expect(card && cardCompleteness(card)).toEqual({ complete: true, missing: [] });
    const ownerless = buildModelCard('churn', 2, history, noEdits);
    expect(ownerless && cardCompleteness({ ...ownerless, modelDetails: { ...ownerless.modelDetails, riskTier: 'minimal' } })).toEqual({
      complete: false,
      missing: ['modelDetails.owners'],
    });
  });

  it("judges a version's card for its checks as the served card is judged, at the tier its policy sets", () => {
    const facts: VersionFacts = {
      modelName: 'churn',
      version: 2,
      riskTier: 'limited',
      owner: null,
      registeredBy: null,
      signature: { inputs: [], outputs: [] },
      metrics: { auc: 0.91 },
      runId: run.runId,
      datasetSha256: 'd'.repeat(64),
      registeredAt: new Date().toISOString(),
    };
    const partial = applyPatch({}, { owners: [{ name: 'dana' }], description: 'Churn risk per customer', useCases: ['retention offers'] });
    const served = buildModelCard('churn', 2, history, { fields: partial, lastEdit: null });
    expect(versionCardCompleteness(facts, 'limited', partial)).toEqual(served && cardCompleteness(served));
    expect(versionCardCompleteness(facts, 'limited', partial).missing).toEqual(['considerations.limitations', 'considerations.users', 'considerations.ethicalConsiderations']);
    expect(versionCardCompleteness(facts, 'high', partial).missing).toContain('considerations.tradeoffs');
    expect(versionCardCompleteness({ ...facts, owner: 'dana' }, 'minimal', {})).toEqual({ complete: true, missing: [] });
  });

  it('replaces fields a patch sets, clears those it nulls, keeps the rest', () => {
    expect(applyPatch({ description: 'a', license: 'MIT' }, { description: 'b', license: null, users: ['x'] })).toEqual({ description: 'b', users: ['x'] });
  });

  it('renders people’s text literally: escaped in HTML, backslash-escaped in Markdown', () => {
    const fields = applyPatch({}, { description: '<script>alert(1)</script> & *bold*', limitations: ['| breaks tables\nand lines'] });
    const card = buildModelCard('churn', 2, history, { fields, lastEdit: null });
    if (!card) throw new Error('no card');
    const html = renderHtml(cardDocument(card));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold*');
    expect(html).not.toContain('<script>');
    const markdown = renderMarkdown(cardDocument(card));
    expect(markdown).toContain('\\<script\\>alert(1)\\</script\\> & \\*bold\\*');
    expect(markdown).toContain('- \\| breaks tables and lines');
    expect(markdown).toMatch(/^# Model card: churn version 2\n\n## Model details\n/);
    expect(markdown).toContain('| auc | 0.91 | 0.89 |');
  });
});
