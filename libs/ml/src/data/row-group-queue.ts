import type { RecordBatch } from 'parquet-wasm';

interface Offer {
  batch: RecordBatch | null;
  taken: () => void;
}

/**
 * The record batches parquet-wasm reads, as a pull stream with room for one: `push` resolves once the library
 * has taken the batch, so a writer holds at most one row group ahead of the encoder. `end` closes the stream.
 */
export class RowGroupQueue {
  private offered: Offer | null = null;
  private waiting: ((offer: Offer) => void) | null = null;

  readonly stream = new ReadableStream<RecordBatch>(
    {
      pull: async (controller) => {
        const offer = await this.take();
        if (offer.batch) controller.enqueue(offer.batch);
        else controller.close();
        offer.taken();
      },
    },
    { highWaterMark: 0 },
  );

  push(batch: RecordBatch): Promise<void> {
    return new Promise((taken) => this.offer({ batch, taken }));
  }

  end(): Promise<void> {
    return new Promise((taken) => this.offer({ batch: null, taken }));
  }

  private offer(offer: Offer): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = null;
      waiting(offer);
    } else {
      this.offered = offer;
    }
  }

  private take(): Promise<Offer> {
    const offered = this.offered;
    if (offered) {
      this.offered = null;
      return Promise.resolve(offered);
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }
}
