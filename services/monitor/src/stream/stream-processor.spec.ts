import { classificationMetrics } from '@mlops/ml';
import { answeredBy, fixedContext, PredictionGenerator, seededUniform } from '../test-support/prediction-generator';
import { StateRows, StreamProcessor } from './stream-processor';

const LIMITS = { labelHorizonMs: 3_600_000, maxJoinEntries: 100_000, maxPendingLabels: 100_000 };
const WINDOW_ROWS = 500;
const clock = () => Date.UTC(2026, 0, 1);

function setup(options: { shiftAt?: number; seed: number; referenceRows?: number }) {
  const generator = new PredictionGenerator({ modelName: 'churn', features: 8, seed: options.seed, shiftAt: options.shiftAt, shift: 0.5, shiftedFeatures: 5 });
  const reference = { profile: generator.reference(options.referenceRows ?? 5000), baseline: { auc: 0.8 }, task: 'classification' as const };
  const context = fixedContext({ 'churn:1': reference }, { window: { maxRows: WINDOW_ROWS, maxSeconds: 86_400 } });
  return { generator, processor: new StreamProcessor(context, LIMITS, clock), context };
}

describe('StreamProcessor drift', () => {
  it('flags a shift of 5 of 8 features as dataset drift within the window it starts in, never before', () => {
    const shiftAt = 20 * WINDOW_ROWS + 137;
    const { generator, processor } = setup({ shiftAt, seed: 1 });
    for (let i = 0; i < 26 * WINDOW_ROWS; i++) processor.foldPrediction(generator.next().prediction, 0, i);
    const closed = processor.takeChanges().outputs.closed;
    expect(closed).toHaveLength(26);
    const flagged = closed.filter((c) => c.drift?.dataset.drifted).map((c) => c.window.seq);
    const shiftWindow = Math.floor(shiftAt / WINDOW_ROWS) + 1;
    expect(Math.min(...flagged)).toBeGreaterThanOrEqual(shiftWindow);
    // The shift starts 137 rows into its window; the next window is all shifted.
    expect(flagged).toContain(shiftWindow + 1);
    expect(flagged).toEqual(expect.arrayContaining([shiftWindow + 1, shiftWindow + 2, shiftWindow + 3, shiftWindow + 4, shiftWindow + 5]));
    const drifted = closed[shiftWindow].drift?.features.filter((f) => f.drifted).map((f) => f.feature);
    expect(drifted).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(closed[shiftWindow].drift?.dataset.fdr.discoveries).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(closed[shiftWindow].drift?.features[0]).toMatchObject({ test: 'wasserstein', threshold: 0.1 });
  });

  it('uses the small-reference tests (KS) and measures the false-alarm rate over a long stable stream', () => {
    const { generator, processor } = setup({ seed: 2, referenceRows: 800 });
    const windows = 200;
    for (let i = 0; i < windows * WINDOW_ROWS; i++) processor.foldPrediction(generator.next().prediction, 0, i);
    const closed = processor.takeChanges().outputs.closed;
    const featureTests = closed.flatMap((c) => c.drift?.features ?? []);
    expect(featureTests[0]).toMatchObject({ test: 'ks', threshold: 0.05 });
    const featureAlarms = featureTests.filter((f) => f.drifted).length / featureTests.length;
    const datasetAlarms = closed.filter((c) => c.drift?.dataset.drifted).length / closed.length;
    const fdrAlarms = closed.filter((c) => (c.drift?.dataset.fdr.discoveries.length ?? 0) > 0).length / closed.length;
    process.stdout.write(
      `false alarms over ${windows} stable windows of ${WINDOW_ROWS}: per feature test ${(featureAlarms * 100).toFixed(2)}% (KS at p<0.05), ` +
        `dataset share rule ${(datasetAlarms * 100).toFixed(2)}%, FDR (BH q=0.05) ${(fdrAlarms * 100).toFixed(2)}%\n`,
    );
    // Every window is tested against the same 800-row reference, so the rates vary around their nominal 5% with
    // that one sample; the bounds catch a test that fires far too often, not sampling noise.
    expect(featureAlarms).toBeLessThan(0.1);
    expect(datasetAlarms).toBe(0);
    expect(fdrAlarms).toBeLessThan(0.15);
  });
});

describe('StreamProcessor labels', () => {
  it('gives late, out-of-order labels across a restart the metrics of a batch computation', () => {
    const { generator, processor, context } = setup({ seed: 3 });
    const events = Array.from({ length: 3 * WINDOW_ROWS }, () => generator.next());
    const random = seededUniform(99);
    const labels = events.map((e) => e.label).sort(() => random() - 0.5);
    // A fifth of the labels arrive before their predictions are consumed.
    labels.slice(0, 300).forEach((label, i) => processor.foldLabel(label, 0, i));
    events.slice(0, 2 * WINDOW_ROWS).forEach((e, i) => processor.foldPrediction(e.prediction, 0, i));
    labels.slice(300, 900).forEach((label, i) => processor.foldLabel(label, 0, 300 + i));

    // Restart: only what was checkpointed survives; the predictions inside the horizon are read again.
    const checkpoint = processor.takeChanges();
    const rows: StateRows = new Map([...checkpoint.upserts].map(([key, text]) => [key, JSON.parse(text as string)]));
    const restored = new StreamProcessor(context, LIMITS, clock);
    restored.restore(rows, checkpoint.offsets, checkpoint.joinFrom);
    const start = restored.startOffsets(checkpoint.joinFrom).get('mlops.predictions.logged:0') ?? 0;
    // Labels arriving after the restart come before the predictions are read again: they wait and join on replay.
    labels.slice(900).forEach((label, i) => restored.foldLabel(label, 0, 900 + i));
    events.slice(start).forEach((e, i) => restored.foldPrediction(e.prediction, 0, start + i));
    restored.tick(Date.UTC(2026, 0, 1, 0, 30));

    const finalized = [...checkpoint.outputs.performance, ...restored.takeChanges().outputs.performance].sort((a, b) => a.windowId.localeCompare(b.windowId));
    expect(finalized.map((p) => [p.windowId, p.labelled])).toEqual([
      ['churn:1:champion:1', WINDOW_ROWS],
      ['churn:1:champion:2', WINDOW_ROWS],
      ['churn:1:champion:3', WINDOW_ROWS],
    ]);
    finalized.forEach((performance, w) => {
      const slice = events.slice(w * WINDOW_ROWS, (w + 1) * WINDOW_ROWS);
      const batch = classificationMetrics(
        slice.map((e) => e.label.label as number),
        slice.map((e) => e.prediction.outputs[1].data[1] as number),
      );
      expect(performance.metrics.auc).toBeCloseTo(batch.auc, 12);
      expect(performance.metrics.accuracy).toBeCloseTo(batch.accuracy, 12);
      expect(performance.metrics.log_loss).toBeCloseTo(batch.logLoss, 12);
      expect(performance.metrics.f1).toBeCloseTo(batch.f1, 12);
    });
    expect(restored.labelCounts().churn).toEqual({ joined: 3 * WINDOW_ROWS - 0, unmatched: 0, pending: 0 });
  });
});

describe('StreamProcessor rollouts', () => {
  it('joins one label to the champion and its shadow, and promotes the better shadow once', () => {
    const { generator, processor } = setup({ seed: 4 });
    const random = seededUniform(44);
    const windows = 4;
    let labelOffset = 0;
    let predictionOffset = 0;
    const waiting: ReturnType<PredictionGenerator['next']>['label'][] = [];
    for (let i = 0; i < windows * WINDOW_ROWS; i++) {
      const event = generator.next();
      processor.foldPrediction(answeredBy(event, { version: 1, role: 'champion', accuracy: 0.7 }, random), 0, predictionOffset++);
      processor.foldPrediction(answeredBy(event, { version: 2, role: 'shadow', accuracy: 0.9 }, random), 0, predictionOffset++);
      waiting.push(event.label);
      // Labels come in batches, after both answers were logged.
      if (waiting.length === 100) waiting.splice(0).forEach((label) => processor.foldLabel(label, 0, labelOffset++));
    }
    processor.tick(clock());
    const { rollouts, performance } = processor.takeChanges().outputs;

    expect(rollouts.map((r) => r.verdict).filter((v) => v !== 'continue')).toEqual(['promote']);
    const promote = rollouts.find((r) => r.verdict === 'promote');
    expect(promote).toMatchObject({ modelName: 'churn', championVersion: 1, challengerVersion: 2 });
    expect(promote?.challengerMetrics.accuracy).toBeGreaterThan(0.85);
    expect(promote?.championMetrics.accuracy).toBeLessThan(0.75);
    // Both sides' windows have every label: the shadow's log did not take the champion's place in the join.
    expect(performance.map((p) => [p.windowId, p.labelled])).toEqual(
      Array.from({ length: windows }, (_, w) => [[`churn:1:champion:${w + 1}`, WINDOW_ROWS], [`churn:2:shadow:${w + 1}`, WINDOW_ROWS]]).flat(),
    );
    expect(processor.labelCounts().churn).toEqual({ joined: windows * WINDOW_ROWS, unmatched: 0, pending: 0 });
  });
});
