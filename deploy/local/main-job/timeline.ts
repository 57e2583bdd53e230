// Each stage of the main job with a progress bar while it runs (on a terminal) and a line when it ends, and the
// timeline of all of them at the end: when each began after the job started, how long it took, what it found.
import { createRequire } from 'node:module';

/** The part of cli-progress used here; the package ships no type declarations. */
interface Bar {
  start(total: number, value: number, payload?: object): void;
  update(value: number, payload?: object): void;
  setTotal(total: number): void;
  stop(): void;
}

interface CliProgress {
  SingleBar: new (options: object, preset: object) => Bar;
  Presets: { shades_classic: object };
}

export interface StageProgress {
  /** What the stage is waiting for or has done so far; with a total, the bar fills. */
  update(detail: string, value?: number, total?: number): void;
}

interface Entry {
  name: string;
  startedAt: number;
  endedAt: number;
  detail: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class Timeline {
  readonly startedAt = Date.now();
  private readonly entries: Entry[] = [];
  private readonly progress = createRequire(__filename)('cli-progress') as CliProgress;

  /** Runs one stage; its result's summary (what `run` returns as `detail`) goes on its line and in the timeline. */
  async stage<T extends { detail: string }>(name: string, run: (progress: StageProgress) => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    const bar = new this.progress.SingleBar(
      { stream: process.stderr, format: `  ${name.padEnd(44)} [{bar}] {value}/{total} {duration}s {detail}`, hideCursor: true, barsize: 20, clearOnComplete: true },
      this.progress.Presets.shades_classic,
    );
    bar.start(1, 0, { detail: '' });
    const progress: StageProgress = {
      update(detail, value, total) {
        if (total !== undefined) bar.setTotal(total);
        bar.update(value ?? 0, { detail });
      },
    };
    try {
      const result = await run(progress);
      bar.stop();
      this.record({ name, startedAt, endedAt: Date.now(), detail: result.detail });
      return result;
    } catch (err) {
      bar.stop();
      console.log(`✗ ${name} failed after ${seconds(Date.now() - startedAt)}: ${(err as Error).message}`);
      throw err;
    }
  }

  /** A moment rather than a stage (the drift injected): in the timeline with no duration. */
  mark(name: string, detail: string, at = Date.now()): void {
    this.record({ name, startedAt: at, endedAt: at, detail });
  }

  /** When a recorded stage or mark ended, for figures across stages. */
  endOf(name: string): number {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`no stage named ${name} in the timeline`);
    return entry.endedAt;
  }

  print(): void {
    console.log('\n  timeline (seconds after the job started)\n');
    console.log(`  ${'at'.padStart(7)}  ${'took'.padStart(7)}  ${'stage'.padEnd(44)}  result`);
    for (const e of this.entries) {
      const took = e.endedAt === e.startedAt ? '' : seconds(e.endedAt - e.startedAt);
      console.log(`  ${seconds(e.startedAt - this.startedAt).padStart(7)}  ${took.padStart(7)}  ${e.name.padEnd(44)}  ${e.detail}`);
    }
  }

  private record(entry: Entry): void {
    this.entries.push(entry);
    const took = entry.endedAt === entry.startedAt ? '' : ` (${seconds(entry.endedAt - entry.startedAt)})`;
    console.log(`✓ ${entry.name}${took}: ${entry.detail}`);
  }
}
