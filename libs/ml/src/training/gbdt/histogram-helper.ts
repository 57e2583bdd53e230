import { Worker } from 'node:worker_threads';
import { ACCUMULATE_HISTOGRAM_SOURCE, accumulateHistogram } from './histogram-kernel';

/** Task states in the shared control word; a task is claimed by compare-and-swap, so exactly one thread runs it. */
const IDLE = 0;
const POSTED = 1;
const CLAIMED = 2;
const DONE = 3;
const FAILED = 4;
const EXIT = 5;
const STATE = 0;
const START = 1;
const END = 2;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { control, hist, words, wordsPerRow, rows, gradHess } = workerData;
const accumulateHistogram = ${ACCUMULATE_HISTOGRAM_SOURCE};
for (;;) {
  const state = Atomics.load(control, ${STATE});
  if (state === ${EXIT}) break;
  if (state === ${POSTED} && Atomics.compareExchange(control, ${STATE}, ${POSTED}, ${CLAIMED}) === ${POSTED}) {
    let outcome = ${DONE};
    try {
      hist.fill(0);
      accumulateHistogram(hist, words, wordsPerRow, rows, control[${START}], control[${END}], gradHess);
    } catch {
      outcome = ${FAILED};
    }
    Atomics.store(control, ${STATE}, outcome);
    Atomics.notify(control, ${STATE});
    continue;
  }
  Atomics.wait(control, ${STATE}, state);
}
`;

export interface SharedTrainingBuffers {
  words: Uint32Array;
  wordsPerRow: number;
  rows: Int32Array;
  gradHess: Float64Array;
}

/**
 * A second thread that can build the histogram of one row range into its own buffer while the training thread
 * builds another. The training thread takes the task back if the helper has not started it by the time its own
 * part is done (a busy machine, a helper still booting), so nothing ever waits on a thread that is not running.
 */
export class HistogramHelper {
  private readonly control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  /** Where the helper's (or the reclaimed) part lands; read it after `finish`. */
  readonly hist: Float64Array;
  private readonly worker: Worker;

  constructor(private readonly shared: SharedTrainingBuffers, histLength: number) {
    this.hist = new Float64Array(new SharedArrayBuffer(histLength * Float64Array.BYTES_PER_ELEMENT));
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { control: this.control, hist: this.hist, ...shared } });
    this.worker.unref();
  }

  /** Offers rows[start, end) to the helper thread. */
  post(start: number, end: number): void {
    const c = this.control;
    c[START] = start;
    c[END] = end;
    Atomics.store(c, STATE, POSTED);
    Atomics.notify(c, STATE);
  }

  /** Returns once the posted range's histogram is in `hist`, computed here if the helper never claimed it. */
  finish(): void {
    const c = this.control;
    if (Atomics.compareExchange(c, STATE, POSTED, CLAIMED) === POSTED) {
      const { words, wordsPerRow, rows, gradHess } = this.shared;
      this.hist.fill(0);
      accumulateHistogram(this.hist, words, wordsPerRow, rows, c[START], c[END], gradHess);
    } else {
      while (Atomics.load(c, STATE) === CLAIMED) Atomics.wait(c, STATE, CLAIMED);
      if (Atomics.load(c, STATE) === FAILED) throw new Error('the histogram helper thread failed');
    }
    Atomics.store(c, STATE, IDLE);
  }

  close(): void {
    Atomics.store(this.control, STATE, EXIT);
    Atomics.notify(this.control, STATE);
    void this.worker.terminate();
  }
}
