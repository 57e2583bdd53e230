import type { EventData, MonitoringPolicy } from '@mlops/contracts';
import { MonitoringPolicy as PolicySchema } from '@mlops/contracts';
import { buildReferenceProfile, ReferenceProfile, withHoldoutCalibration } from '@mlops/ml';
import type { ModelContext, VersionReference } from '../stream/model-context';

type Prediction = EventData<'mlops.predictions.logged'>;
type Label = EventData<'mlops.labels.observed'>;

export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface GeneratorOptions {
  modelName: string;
  version?: number;
  features: number;
  seed: number;
  /** From this prediction on, the first `shiftedFeatures` features move by `shift` standard deviations. */
  shiftAt?: number;
  shift?: number;
  shiftedFeatures?: number;
  startMs?: number;
  /** Prediction times advance by this much per prediction. */
  stepMs?: number;
  role?: Prediction['role'];
}

/**
 * A logistic model over standard normal features whose labels follow its own probabilities (so it is calibrated):
 * predictions as the gateway logs them, the labels product apps would send, and the reference its training would
 * have profiled, with a shift of chosen features from a known prediction on.
 */
export class PredictionGenerator {
  private readonly random: () => number;
  private readonly weights: number[];
  private produced = 0;

  constructor(private readonly options: GeneratorOptions) {
    this.random = seededUniform(options.seed);
    this.weights = Array.from({ length: options.features }, (_, j) => (j % 2 ? -0.8 : 0.8) / Math.sqrt(1 + j));
  }

  private row(shifted: boolean): { features: number[]; probability: number; label: number } {
    const features = this.weights.map((_, j) => {
      const x = normal(this.random) + (shifted && j < (this.options.shiftedFeatures ?? 1) ? (this.options.shift ?? 1) : 0);
      return Math.fround(x);
    });
    const logit = features.reduce((sum, x, j) => sum + x * this.weights[j], 0);
    const probability = Math.fround(1 / (1 + Math.exp(-logit)));
    return { features, probability, label: this.random() < probability ? 1 : 0 };
  }

  next(): { prediction: Prediction; label: Label } {
    const index = this.produced++;
    const shifted = this.options.shiftAt !== undefined && index >= this.options.shiftAt;
    const { features, probability, label } = this.row(shifted);
    const atMs = (this.options.startMs ?? Date.UTC(2026, 0, 1)) + index * (this.options.stepMs ?? 10);
    const requestId = `${this.options.modelName}-${this.options.seed}-${index}`;
    const timestamp = new Date(atMs).toISOString();
    return {
      prediction: {
        requestId,
        modelName: this.options.modelName,
        version: this.options.version ?? 1,
        role: this.options.role ?? 'champion',
        inputs: [{ name: 'features', datatype: 'FP32', shape: [1, features.length], data: features }],
        outputs: [
          { name: 'label', datatype: 'INT64', shape: [1], data: [probability > 0.5 ? 1 : 0] },
          { name: 'probabilities', datatype: 'FP32', shape: [1, 2], data: [Math.fround(1 - probability), probability] },
        ],
        latencyMs: 1 + this.random(),
        timestamp,
      },
      label: { requestId, modelName: this.options.modelName, label, observedAt: timestamp },
    };
  }

  /** The reference the trainer would profile: `rows` unshifted rows, with a labelled holdout of `holdoutRows`. */
  reference(rows: number, holdoutRows = 2000): ReferenceProfile {
    const samples = Array.from({ length: rows }, () => this.row(false));
    const columns = this.weights.map((_, j) => ({ name: `f${j}`, kind: 'numeric' as const, values: samples.map((s) => s.features[j]) }));
    const profile = buildReferenceProfile(columns, [
      { name: 'probability', kind: 'numeric', values: samples.map((s) => s.probability) },
      { name: 'label', kind: 'categorical', values: samples.map((s) => (s.probability > 0.5 ? '1' : '0')) },
    ]);
    const holdout = Array.from({ length: holdoutRows }, () => this.row(false));
    return withHoldoutCalibration(profile, holdout.map((h) => h.label), holdout.map((h) => h.probability));
  }
}

/**
 * The request of `event` answered by another version in another role (a shadow of the same request, or a challenger
 * if given a request id of its own), right about the request's label with probability `accuracy`.
 */
export function answeredBy(
  event: { prediction: Prediction; label: Label },
  answer: { version: number; role: Prediction['role']; accuracy: number; latencyMs?: number; requestId?: string },
  random: () => number,
): Prediction {
  const positive = event.label.label === 1;
  const right = random() < answer.accuracy;
  const probability = Math.fround(positive === right ? 0.5 + 0.49 * random() + 0.001 : 0.49 * random());
  return {
    ...event.prediction,
    requestId: answer.requestId ?? event.prediction.requestId,
    version: answer.version,
    role: answer.role,
    outputs: [
      { name: 'label', datatype: 'INT64', shape: [1], data: [probability > 0.5 ? 1 : 0] },
      { name: 'probabilities', datatype: 'FP32', shape: [1, 2], data: [Math.fround(1 - probability), probability] },
    ],
    latencyMs: answer.latencyMs ?? event.prediction.latencyMs,
  };
}

/** A ModelContext with fixed policies and references, for specs and the benchmark. */
export function fixedContext(references: Record<string, VersionReference>, policy: Partial<Record<keyof MonitoringPolicy, object>> = {}): ModelContext {
  const parsed = PolicySchema.parse(policy);
  return {
    policy: () => parsed,
    reference: (modelName, version) => references[`${modelName}:${version}`] ?? null,
  };
}
