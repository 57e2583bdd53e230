import { allocate, TensorValues } from '../inference/datatypes';
import type { DecodedTensor } from '../inference/tensor';

export interface BatchOptions {
  maxBatchSize: number;
  maxQueueDelayUs: number;
}

/** Synchronous: a batch runs in the turn that sends it, and its requests are answered in that same turn. */
type RunBatch = (inputs: DecodedTensor[]) => DecodedTensor[];

interface Pending {
  inputs: DecodedTensor[];
  rows: number;
  resolve: (outputs: DecodedTensor[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces requests to one model into a single run along the first (batch) dimension and splits the outputs
 * back by rows. A batch goes when it is full or when its oldest request has waited the maximum queue delay;
 * below a millisecond the delay is one turn of the event loop, which gathers everything that arrived meanwhile.
 * Only for models whose inputs and outputs all have a variable first dimension and fixed others.
 */
export class DynamicBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  constructor(
    private readonly options: BatchOptions,
    private readonly run: RunBatch,
    private readonly observeRows: (rows: number) => void,
  ) {}

  submit(inputs: DecodedTensor[]): Promise<DecodedTensor[]> {
    const rows = inputs[0]?.shape[0] ?? 0;
    if (rows >= this.options.maxBatchSize || rows === 0) {
      this.observeRows(rows);
      return runSettled(() => this.run(inputs));
    }
    return new Promise((resolve, reject) => {
      if (this.queuedRows + rows > this.options.maxBatchSize) this.flush();
      this.queue.push({ inputs, rows, resolve, reject });
      this.queuedRows += rows;
      if (this.queuedRows >= this.options.maxBatchSize) this.flush();
      else if (!this.timer) this.schedule();
    });
  }

  private schedule(): void {
    const delayMs = this.options.maxQueueDelayUs / 1000;
    this.timer = delayMs >= 1 ? setTimeout(() => this.flush(), delayMs) : setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
    const batch = this.queue;
    const rows = this.queuedRows;
    this.queue = [];
    this.queuedRows = 0;
    if (batch.length === 0) return;
    this.observeRows(rows);
    let outputs: DecodedTensor[];
    try {
      outputs = this.run(batch.length === 1 ? batch[0].inputs : concatInputs(batch, rows));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (batch.length === 1) {
      batch[0].resolve(outputs);
      return;
    }
    let offset = 0;
    for (const pending of batch) {
      pending.resolve(outputs.map((output) => sliceRows(output, offset, pending.rows)));
      offset += pending.rows;
    }
  }
}

/** A synchronous run as a promise: what it throws becomes the rejection. */
export function runSettled(run: () => DecodedTensor[]): Promise<DecodedTensor[]> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}

function concatInputs(batch: Pending[], rows: number): DecodedTensor[] {
  return batch[0].inputs.map((first, index) => {
    const rowSize = rowElements(first.shape);
    const values = allocate(first.datatype, rows * rowSize);
    let offset = 0;
    for (const pending of batch) {
      const part = pending.inputs[index].values;
      if (Array.isArray(values)) for (let i = 0; i < part.length; i++) values[offset + i] = (part as string[])[i];
      else (values as Exclude<TensorValues, string[]>).set(part as never, offset);
      offset += part.length;
    }
    return { name: first.name, datatype: first.datatype, shape: [rows, ...first.shape.slice(1)], values };
  });
}

function sliceRows(tensor: DecodedTensor, fromRow: number, rows: number): DecodedTensor {
  const rowSize = rowElements(tensor.shape);
  const start = fromRow * rowSize;
  const end = start + rows * rowSize;
  const values = Array.isArray(tensor.values) ? tensor.values.slice(start, end) : (tensor.values as Exclude<TensorValues, string[]>).subarray(start, end);
  return { name: tensor.name, datatype: tensor.datatype, shape: [rows, ...tensor.shape.slice(1)], values };
}

function rowElements(shape: number[]): number {
  return shape.slice(1).reduce((product, dim) => product * dim, 1);
}
