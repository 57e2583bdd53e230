export interface Flushable {
  flush(): void;
}

/**
 * Flushes, once per event-loop turn (setImmediate, after the turn's reads and the promise jobs they started), every
 * connection that queued frames in it: the answers a read produced, and the acknowledgements and window updates it
 * needed, leave in one socket write per connection instead of one per frame.
 */
export class FlushScheduler {
  private readonly due: Flushable[] = [];
  private scheduled = false;
  private readonly run = () => {
    this.scheduled = false;
    const due = this.due;
    for (let i = 0; i < due.length; i++) due[i].flush();
    due.length = 0;
  };

  schedule(target: Flushable): void {
    this.due.push(target);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }
}
