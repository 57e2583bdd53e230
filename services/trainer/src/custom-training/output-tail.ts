/**
 * The last `maxBytes` of a process's output, as it arrives. What falls off the front is counted, so the log can
 * say how much is missing instead of silently starting mid-run.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly maxBytes: number) {}

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.maxBytes) {
      const excess = this.size - this.maxBytes;
      const first = this.chunks[0];
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  get droppedBytes(): number {
    return this.dropped;
  }

  /** The kept output; a cut through a multi-byte character at the front decodes as U+FFFD. */
  text(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

/** The last `count` non-empty lines of a text, each cut to `maxLineLength` characters. */
export function lastLines(text: string, count: number, maxLineLength = 500): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(-count).map((line) => (line.length > maxLineLength ? `${line.slice(0, maxLineLength)}…` : line));
}
