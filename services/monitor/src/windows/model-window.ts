import type { EventData, Tensor } from '@mlops/contracts';
import { CategoricalColumnSketch, ColumnSketch, NumericColumnSketch, restoreColumnSketch, StoredColumnSketch } from './column-sketch';
import { newScoreHistogram, scoreBin } from './score-histogram';
import { matchesLayout, rowCount, scoreColumn, TensorLayout, tensorLayout } from './tensor-columns';

export type Role = EventData<'mlops.predictions.logged'>['role'];

export interface WindowKey {
  modelName: string;
  version: number;
  role: Role;
}

export function windowKeyString(key: WindowKey): string {
  return `${key.modelName}:${key.version}:${key.role}`;
}

export interface StoredModelWindow extends WindowKey {
  seq: number;
  fromMs: number;
  toMs: number;
  rows: number;
  /** Logs refused because their tensors did not match the window's layout. */
  mismatched: number;
  inputLayout: TensorLayout | null;
  outputLayout: TensorLayout | null;
  inputs: StoredColumnSketch[];
  outputs: StoredColumnSketch[];
  scoreHistogram: number[];
}

/**
 * One open window of one model version and role: a sketch per input and output column, the score histogram, and the
 * span of prediction times it covers. Its memory is bounded by the column count, whatever the traffic.
 */
export class ModelWindow {
  rows = 0;
  mismatched = 0;
  fromMs = Infinity;
  toMs = -Infinity;
  inputLayout: TensorLayout | null = null;
  outputLayout: TensorLayout | null = null;
  inputs: ColumnSketch[] = [];
  outputs: ColumnSketch[] = [];
  scoreHistogram = newScoreHistogram();
  private scoreIndex = -1;
  /** `<model>:<version>:<role>:<seq>`, made once: the hot path looks windows up by it. */
  readonly id: string;

  constructor(
    readonly key: WindowKey,
    readonly seq: number,
  ) {
    this.id = `${windowKeyString(key)}:${seq}`;
  }

  /** Folds one log's rows; returns the scores of its rows (for the join and the streaming detector) or null if refused. */
  fold(inputs: readonly Tensor[], outputs: readonly Tensor[], atMs: number): number[] | null {
    if (!this.inputLayout || !this.outputLayout) this.adoptLayouts(inputs, outputs);
    if (!matchesLayout(inputs, this.inputLayout as TensorLayout) || !matchesLayout(outputs, this.outputLayout as TensorLayout)) {
      this.mismatched++;
      return null;
    }
    const rows = rowCount(inputs);
    foldTensors(inputs, rows, this.inputs);
    foldTensors(outputs, rows, this.outputs);
    const scores = this.scoresOf(outputs, rows);
    for (const score of scores) this.scoreHistogram[scoreBin(score)]++;
    this.rows += rows;
    if (atMs < this.fromMs) this.fromMs = atMs;
    if (atMs > this.toMs) this.toMs = atMs;
    return scores;
  }

  private adoptLayouts(inputs: readonly Tensor[], outputs: readonly Tensor[]): void {
    this.inputLayout = tensorLayout(inputs, 'input');
    this.outputLayout = tensorLayout(outputs, 'output');
    this.inputs = this.inputLayout.kinds.map(newSketch);
    this.outputs = this.outputLayout.kinds.map(newSketch);
    this.scoreIndex = scoreColumn(this.outputLayout);
  }

  private scoresOf(outputs: readonly Tensor[], rows: number): number[] {
    if (this.scoreIndex < 0 || !this.outputLayout) return [];
    let column = this.scoreIndex;
    for (let t = 0; t < outputs.length; t++) {
      const width = this.outputLayout.tensors[t].width;
      if (column < width) {
        const scores: number[] = [];
        for (let r = 0; r < rows; r++) {
          const value = outputs[t].data[r * width + column];
          if (typeof value === 'number' && Number.isFinite(value)) scores.push(value);
        }
        return scores;
      }
      column -= width;
    }
    return [];
  }

  toStored(): StoredModelWindow {
    return {
      ...this.key,
      seq: this.seq,
      fromMs: this.fromMs,
      toMs: this.toMs,
      rows: this.rows,
      mismatched: this.mismatched,
      inputLayout: this.inputLayout,
      outputLayout: this.outputLayout,
      inputs: this.inputs.map((c) => c.toStored()),
      outputs: this.outputs.map((c) => c.toStored()),
      scoreHistogram: this.scoreHistogram,
    };
  }

  static fromStored(stored: StoredModelWindow): ModelWindow {
    const window = new ModelWindow({ modelName: stored.modelName, version: stored.version, role: stored.role }, stored.seq);
    window.rows = stored.rows;
    window.mismatched = stored.mismatched;
    window.fromMs = stored.fromMs ?? Infinity;
    window.toMs = stored.toMs ?? -Infinity;
    window.inputLayout = stored.inputLayout;
    window.outputLayout = stored.outputLayout;
    window.inputs = stored.inputs.map(restoreColumnSketch);
    window.outputs = stored.outputs.map(restoreColumnSketch);
    window.scoreHistogram = stored.scoreHistogram;
    window.scoreIndex = stored.outputLayout ? scoreColumn(stored.outputLayout) : -1;
    return window;
  }
}

function newSketch(kind: 'numeric' | 'categorical'): ColumnSketch {
  return kind === 'numeric' ? new NumericColumnSketch() : new CategoricalColumnSketch();
}

function foldTensors(tensors: readonly Tensor[], rows: number, sketches: ColumnSketch[]): void {
  let base = 0;
  for (const tensor of tensors) {
    const data = tensor.data;
    const width = data.length / Math.max(rows, 1);
    for (let r = 0; r < rows; r++) {
      const offset = r * width;
      for (let j = 0; j < width; j++) sketches[base + j].add(data[offset + j]);
    }
    base += width;
  }
}
