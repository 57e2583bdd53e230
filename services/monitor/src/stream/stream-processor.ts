import type { EventData, MonitoringPolicy } from '@mlops/contracts';
import { evaluateDrift } from '../drift/evaluate-drift';
import { calibrate, estimatePerformance } from '../performance/cbpe';
import { numericLabel, realisedMetrics, Task } from '../performance/realised-metrics';
import { decideRollout, newRolloutTracker, observeLabelled, observeServed, RolloutTrackerState } from '../rollouts/rollout-tracker';
import { newPageHinkley, observePageHinkley, PageHinkleyOptions, PageHinkleyState } from '../statistics/page-hinkley';
import { ModelWindow, StoredModelWindow, windowKeyString } from '../windows/model-window';
import { rowCount } from '../windows/tensor-columns';
import { JoinEntry, LabelJoin, PendingLabel } from './label-join';
import type { ModelContext } from './model-context';
import { emptyOutputs, StreamOutputs } from './stream-outputs';

type Prediction = EventData<'mlops.predictions.logged'>;
type Label = EventData<'mlops.labels.observed'>;

export const PREDICTIONS_TOPIC = 'mlops.predictions.logged';
export const LABELS_TOPIC = 'mlops.labels.observed';

export interface StreamLimits {
  labelHorizonMs: number;
  maxJoinEntries: number;
  maxPendingLabels: number;
}

/** Labelled predictions of one window, kept until its labels are in or the horizon has passed. */
interface PerformanceAccumulator {
  windowId: string;
  modelName: string;
  version: number;
  role: 'champion' | 'challenger' | 'shadow';
  joinable: number;
  scores: number[];
  labels: number[];
  closedAtMs: number | null;
  fromMs: number;
  toMs: number;
}

export interface LabelCounts {
  joined: number;
  unmatched: number;
}

/** Where each window of a key began, so a prediction read again after a restart rejoins the right window. */
interface WindowStart {
  seq: number;
  partition: number;
  offset: number;
}

interface Meta {
  nextSeq: Record<string, number>;
  starts: Record<string, WindowStart[]>;
  pending: PendingLabel[];
  labelCounts: Record<string, LabelCounts>;
}

/** The persisted form: one JSON text per key, written only when it changed (restored from parsed values). */
export type StateRows = Map<string, unknown>;

const WINDOW = 'window:';
const PERFORMANCE = 'performance:';
const PAGE_HINKLEY = 'page-hinkley:';
const ROLLOUT = 'rollout:';
const META = 'meta';
const PAGE_HINKLEY_MIN_OBSERVATIONS = 200;
const STARTS_KEPT = 64;

/** The state rows one window key dirties with every prediction, named once rather than per record. */
interface RowNames {
  window: string;
  pageHinkley: string;
  rollout: string;
  seq: number;
  performance: string;
}

const pageHinkleyOptions = new WeakMap<MonitoringPolicy['drift']['pageHinkley'], PageHinkleyOptions>();

function pageHinkleyOptionsOf(policy: MonitoringPolicy): PageHinkleyOptions {
  let options = pageHinkleyOptions.get(policy.drift.pageHinkley);
  if (!options) {
    options = { ...policy.drift.pageHinkley, minObservations: PAGE_HINKLEY_MIN_OBSERVATIONS };
    pageHinkleyOptions.set(policy.drift.pageHinkley, options);
  }
  return options;
}

/**
 * The monitor's streaming state and everything that happens to it, free of I/O so it can be tested and benchmarked
 * alone: predictions fold into the open window of their model, version and role; a window closes by count or span
 * and is evaluated at once; labels join predictions by request id; rollouts and the streaming detector update as
 * records pass. What changed since the last checkpoint is handed out as rows together with the offsets it covers.
 */
export class StreamProcessor {
  private readonly windows = new Map<string, ModelWindow>();
  private readonly performance = new Map<string, PerformanceAccumulator>();
  private readonly pageHinkley = new Map<string, PageHinkleyState>();
  private readonly rollouts = new Map<string, RolloutTrackerState>();
  private readonly join: LabelJoin;
  private readonly pending = new Map<string, PendingLabel>();
  private meta: Meta = { nextSeq: {}, starts: {}, pending: [], labelCounts: {} };
  /** Next offset to read per `topic:partition`. */
  readonly offsets = new Map<string, number>();
  /** Per predictions partition: records below this offset were folded before the restart and only rejoin the join. */
  private readonly replayUntil = new Map<number, number>();
  private readonly dirty = new Set<string>();
  private readonly deleted = new Set<string>();
  private readonly rowNames = new Map<string, RowNames>();
  private outputs = emptyOutputs();

  /** `clock` measures how long a prediction or label has waited (processing time); windows span prediction time. */
  constructor(
    private readonly context: ModelContext,
    private readonly limits: StreamLimits,
    private readonly clock: () => number = Date.now,
  ) {
    this.join = new LabelJoin(limits.labelHorizonMs, limits.maxJoinEntries);
  }

  foldPrediction(data: Prediction, partition: number, offset: number): void {
    const position = `${PREDICTIONS_TOPIC}:${partition}`;
    const replayBefore = this.replayUntil.get(partition);
    if (replayBefore !== undefined && offset < replayBefore) {
      this.rejoin(data, partition, offset);
      return;
    }
    this.offsets.set(position, offset + 1);
    const key = windowKeyString(data);
    const atMs = Date.parse(data.timestamp);
    const policy = this.context.policy(data.modelName);
    let window = this.windows.get(key);
    if (window && window.rows > 0 && atMs - window.fromMs >= policy.window.maxSeconds * 1000) {
      this.close(key, window);
      window = undefined;
    }
    if (!window) window = this.open(key, data, partition, offset);
    const scores = window.fold(data.inputs, data.outputs, atMs);
    const rows = this.rowNamesOf(key, window);
    this.dirty.add(rows.window);
    if (scores) this.afterFold(key, rows, window, data, scores, partition, offset, atMs);
    if (window.rows >= policy.window.maxRows) this.close(key, window);
  }

  private open(key: string, data: Prediction, partition: number, offset: number): ModelWindow {
    const seq = this.meta.nextSeq[key] ?? 1;
    this.meta.nextSeq[key] = seq + 1;
    const starts = (this.meta.starts[key] ??= []);
    starts.push({ seq, partition, offset });
    if (starts.length > STARTS_KEPT) starts.shift();
    this.dirty.add(META);
    const window = new ModelWindow({ modelName: data.modelName, version: data.version, role: data.role }, seq);
    this.windows.set(key, window);
    this.performance.set(window.id, {
      windowId: window.id, modelName: data.modelName, version: data.version, role: data.role,
      joinable: 0, scores: [], labels: [], closedAtMs: null, fromMs: 0, toMs: 0,
    });
    return window;
  }

  private rowNamesOf(key: string, window: ModelWindow): RowNames {
    let names = this.rowNames.get(key);
    if (!names) {
      names = { window: WINDOW + key, pageHinkley: PAGE_HINKLEY + key, rollout: ROLLOUT + window.key.modelName, seq: 0, performance: '' };
      this.rowNames.set(key, names);
    }
    if (names.seq !== window.seq) Object.assign(names, { seq: window.seq, performance: PERFORMANCE + window.id });
    return names;
  }

  private afterFold(key: string, rows: RowNames, window: ModelWindow, data: Prediction, scores: number[], partition: number, offset: number, atMs: number): void {
    const policy = this.context.policy(data.modelName);
    let detector = this.pageHinkley.get(key);
    if (!detector) {
      detector = newPageHinkley();
      this.pageHinkley.set(key, detector);
    }
    const options = pageHinkleyOptionsOf(policy);
    for (const score of scores) {
      const alarm = observePageHinkley(detector, score, options);
      if (alarm) {
        const { modelName, version, role } = data;
        this.outputs.alarms.push({ modelName, version, role, ...alarm, threshold: policy.drift.pageHinkley.threshold, atMs, observations: window.rows, policy });
      }
    }
    this.dirty.add(rows.pageHinkley);
    let tracker = this.rollouts.get(data.modelName);
    if (!tracker) {
      tracker = newRolloutTracker(data.modelName);
      this.rollouts.set(data.modelName, tracker);
    }
    observeServed(tracker, data.role, data.version, data.latencyMs, scores.length ? scores[0] : null);
    this.dirty.add(rows.rollout);
    if (scores.length === 1 && rowCount(data.inputs) === 1) {
      const entry: JoinEntry = { windowKey: key, version: data.version, role: data.role, seq: window.seq, score: scores[0], partition, offset, atMs: this.clock() };
      (this.performance.get(window.id) as PerformanceAccumulator).joinable++;
      this.dirty.add(rows.performance);
      this.awaitLabel(data.requestId, entry);
    }
  }

  /** A prediction folded before the restart: it only goes back into the join, under the window it was folded into. */
  private rejoin(data: Prediction, partition: number, offset: number): void {
    const key = windowKeyString(data);
    const starts = this.meta.starts[key] ?? [];
    let seq = 0;
    for (const start of starts) if (start.partition === partition && start.offset <= offset) seq = start.seq;
    if (seq === 0 || rowCount(data.inputs) !== 1) return;
    const accumulator = this.performance.get(`${key}:${seq}`);
    if (!accumulator) return;
    const score = singleScore(data);
    if (score === null) return;
    this.awaitLabel(data.requestId, { windowKey: key, version: data.version, role: data.role, seq, score, partition, offset, atMs: this.clock() });
  }

  /**
   * A label that came before its prediction (or before the prediction was read again after a restart) joins now;
   * otherwise the prediction waits for it. A shadow logged after its label joined the champion gets no label.
   */
  private awaitLabel(requestId: string, entry: JoinEntry): void {
    const waiting = this.pending.get(requestId);
    if (!waiting) {
      this.join.add(requestId, entry);
      return;
    }
    this.pending.delete(requestId);
    this.count(waiting.modelName)[this.applyLabel(waiting.modelName, waiting.label, entry) ? 'joined' : 'unmatched']++;
  }

  foldLabel(data: Label, partition: number, offset: number): void {
    this.offsets.set(`${LABELS_TOPIC}:${partition}`, offset + 1);
    const entries = this.join.take(data.requestId);
    if (entries.length > 0) {
      // One label, counted once, for the prediction that answered the request and for its shadow.
      let joined = false;
      for (const entry of entries) joined = this.applyLabel(data.modelName, data.label, entry) || joined;
      this.count(data.modelName)[joined ? 'joined' : 'unmatched']++;
      return;
    }
    if (this.pending.size >= this.limits.maxPendingLabels) {
      this.count(data.modelName).unmatched++;
    } else {
      this.pending.set(data.requestId, { requestId: data.requestId, modelName: data.modelName, label: data.label, receivedAtMs: this.clock() });
    }
    this.dirty.add(META);
  }

  /** False when the label cannot be used: not a number a metric understands, or its window is already finalised. */
  private applyLabel(modelName: string, label: number | string | boolean, entry: JoinEntry): boolean {
    const value = numericLabel(label);
    const accumulator = this.performance.get(`${entry.windowKey}:${entry.seq}`);
    this.dirty.add(META);
    if (value === null || !accumulator) return false;
    accumulator.scores.push(entry.score);
    accumulator.labels.push(value);
    this.dirty.add(PERFORMANCE + accumulator.windowId);
    const tracker = this.rollouts.get(modelName);
    if (tracker) {
      observeLabelled(tracker, entry.role, entry.version, (entry.score > 0.5 ? 1 : 0) === value);
      this.dirty.add(ROLLOUT + modelName);
    }
    return true;
  }

  private count(modelName: string): LabelCounts {
    return (this.meta.labelCounts[modelName] ??= { joined: 0, unmatched: 0 });
  }

  labelCounts(): Record<string, LabelCounts & { pending: number }> {
    const counts: Record<string, LabelCounts & { pending: number }> = {};
    for (const [model, c] of Object.entries(this.meta.labelCounts)) counts[model] = { ...c, pending: 0 };
    for (const label of this.pending.values()) (counts[label.modelName] ??= { joined: 0, unmatched: 0, pending: 0 }).pending++;
    return counts;
  }

  /** Closes windows whose span has passed by the clock, expires the join and pending labels, finalises performance. */
  tick(nowMs: number): void {
    for (const [key, window] of this.windows) {
      const policy = this.context.policy(window.key.modelName);
      if (window.rows > 0 && nowMs - window.fromMs >= policy.window.maxSeconds * 1000) this.close(key, window);
    }
    this.join.expire(nowMs);
    for (const [requestId, label] of this.pending) {
      if (label.receivedAtMs >= nowMs - this.limits.labelHorizonMs) continue;
      this.pending.delete(requestId);
      this.count(label.modelName).unmatched++;
      this.dirty.add(META);
    }
    for (const accumulator of this.performance.values()) {
      if (accumulator.closedAtMs === null) continue;
      const complete = accumulator.labels.length >= accumulator.joinable;
      if (complete || nowMs - accumulator.closedAtMs >= this.limits.labelHorizonMs) this.finalize(accumulator);
    }
  }

  private close(key: string, window: ModelWindow): void {
    const nowMs = this.clock();
    const { modelName, version, role } = window.key;
    const policy = this.context.policy(modelName);
    const reference = this.context.reference(modelName, version);
    const holdout = reference?.profile.holdout;
    this.outputs.closed.push({
      window,
      closedAtMs: nowMs,
      referenceRows: reference ? reference.profile.rowCount : null,
      drift: reference ? evaluateDrift(reference.profile, window, policy.drift) : null,
      estimate: holdout && holdout.labels.length > 0 ? estimatePerformance(window.scoreHistogram, calibrate(holdout.scores, holdout.labels)) : null,
      baseline: reference?.baseline ?? null,
      policy,
    });
    this.windows.delete(key);
    this.dirty.delete(WINDOW + key);
    this.deleted.add(WINDOW + key);
    const accumulator = this.performance.get(window.id);
    if (accumulator) {
      Object.assign(accumulator, { closedAtMs: nowMs, fromMs: window.fromMs, toMs: window.toMs });
      this.dirty.add(PERFORMANCE + window.id);
      if (accumulator.joinable === 0) this.drop(accumulator);
    }
    if (role === 'champion') this.evaluateRollout(modelName, window.fromMs, window.toMs);
  }

  private evaluateRollout(modelName: string, fromMs: number, toMs: number): void {
    const tracker = this.rollouts.get(modelName);
    if (!tracker?.challenger) return;
    const policy = this.context.policy(modelName);
    const decision = decideRollout(tracker, policy.rollout, policy.performance.minLabels);
    if (decision) this.outputs.rollouts.push({ ...decision, modelName, fromMs, toMs });
    this.dirty.add(ROLLOUT + modelName);
  }

  private finalize(accumulator: PerformanceAccumulator): void {
    const reference = this.context.reference(accumulator.modelName, accumulator.version);
    const task: Task = reference?.task ?? (accumulator.labels.every((l) => l === 0 || l === 1) ? 'classification' : 'regression');
    this.outputs.performance.push({
      windowId: accumulator.windowId,
      modelName: accumulator.modelName,
      version: accumulator.version,
      role: accumulator.role,
      fromMs: accumulator.fromMs,
      toMs: accumulator.toMs,
      labelled: accumulator.labels.length,
      joinable: accumulator.joinable,
      metrics: realisedMetrics(task, accumulator.labels, accumulator.scores),
      baseline: reference?.baseline ?? null,
      policy: this.context.policy(accumulator.modelName),
    });
    this.drop(accumulator);
  }

  private drop(accumulator: PerformanceAccumulator): void {
    this.performance.delete(accumulator.windowId);
    this.dirty.delete(PERFORMANCE + accumulator.windowId);
    this.deleted.add(PERFORMANCE + accumulator.windowId);
  }

  /** Everything that changed since the last call, the outputs it produced, and the offsets it covers; resets both. */
  takeChanges(): { upserts: StateRows; deletes: string[]; outputs: StreamOutputs; offsets: Map<string, number>; joinFrom: Map<number, number> } {
    const upserts: StateRows = new Map();
    for (const key of this.dirty) {
      // Serialised now: the live objects go on changing while the checkpoint is written.
      const value = this.rowValue(key);
      if (value !== undefined) upserts.set(key, JSON.stringify(value));
    }
    const deletes = [...this.deleted].filter((key) => !upserts.has(key));
    this.dirty.clear();
    this.deleted.clear();
    const outputs = this.outputs;
    this.outputs = emptyOutputs();
    return { upserts, deletes, outputs, offsets: new Map(this.offsets), joinFrom: this.join.oldestOffsets() };
  }

  /** Puts back what a failed checkpoint took, so the next one writes it (with whatever changed since). */
  restoreChanges(changes: { upserts: StateRows; deletes: string[]; outputs: StreamOutputs }): void {
    for (const key of changes.upserts.keys()) this.dirty.add(key);
    for (const key of changes.deletes) if (!this.dirty.has(key)) this.deleted.add(key);
    const later = this.outputs;
    this.outputs = {
      closed: [...changes.outputs.closed, ...later.closed],
      performance: [...changes.outputs.performance, ...later.performance],
      alarms: [...changes.outputs.alarms, ...later.alarms],
      rollouts: [...changes.outputs.rollouts, ...later.rollouts],
    };
  }

  hasChanges(): boolean {
    return this.dirty.size > 0 || this.deleted.size > 0;
  }

  private rowValue(key: string): unknown {
    if (key === META) return { ...this.meta, pending: [...this.pending.values()] };
    if (key.startsWith(WINDOW)) return this.windows.get(key.slice(WINDOW.length))?.toStored();
    if (key.startsWith(PERFORMANCE)) return this.performance.get(key.slice(PERFORMANCE.length));
    if (key.startsWith(PAGE_HINKLEY)) return this.pageHinkley.get(key.slice(PAGE_HINKLEY.length));
    if (key.startsWith(ROLLOUT)) return this.rollouts.get(key.slice(ROLLOUT.length));
    return undefined;
  }

  /** Rebuilds the state a checkpoint wrote; `joinFrom` and `offsets` say which predictions only rejoin the join. */
  restore(rows: StateRows, offsets: Map<string, number>, joinFrom: Map<number, number>): void {
    for (const [key, value] of rows) {
      if (key === META) {
        this.meta = value as Meta;
        for (const label of this.meta.pending) this.pending.set(label.requestId, label);
        this.meta.pending = [];
      } else if (key.startsWith(WINDOW)) {
        this.windows.set(key.slice(WINDOW.length), ModelWindow.fromStored(value as StoredModelWindow));
      } else if (key.startsWith(PERFORMANCE)) {
        this.performance.set(key.slice(PERFORMANCE.length), value as PerformanceAccumulator);
      } else if (key.startsWith(PAGE_HINKLEY)) {
        this.pageHinkley.set(key.slice(PAGE_HINKLEY.length), value as PageHinkleyState);
      } else if (key.startsWith(ROLLOUT)) {
        this.rollouts.set(key.slice(ROLLOUT.length), value as RolloutTrackerState);
      }
    }
    for (const [position, offset] of offsets) this.offsets.set(position, offset);
    for (const [partition, from] of joinFrom) {
      const next = offsets.get(`${PREDICTIONS_TOPIC}:${partition}`);
      if (next !== undefined && from < next) this.replayUntil.set(partition, next);
    }
  }

  /** Where to start reading each partition: the checkpointed offset, or earlier where the join must be rebuilt. */
  startOffsets(joinFrom: Map<number, number>): Map<string, number> {
    const start = new Map(this.offsets);
    for (const [partition, from] of joinFrom) {
      const position = `${PREDICTIONS_TOPIC}:${partition}`;
      const next = start.get(position);
      if (next !== undefined && from < next) start.set(position, from);
    }
    return start;
  }

  openWindows(): ModelWindow[] {
    return [...this.windows.values()];
  }
}

/** The score of a single-row prediction as the window computed it, without a window at hand (replay). */
function singleScore(data: Prediction): number | null {
  const twoClass = data.outputs.find((t) => t.shape.length === 2 && t.shape[1] === 2);
  const value = twoClass ? twoClass.data[1] : data.outputs.find((t) => t.datatype.startsWith('FP'))?.data[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
