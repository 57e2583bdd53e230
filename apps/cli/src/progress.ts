import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Readable, Transform } from 'node:stream';
import { CliError, EXIT } from './cli-error';
import type { Output } from './output';

/** The part of cli-progress used here; the package ships no type declarations. */
export interface ProgressBar {
  start(total: number, value: number, payload?: object): void;
  update(value: number, payload?: object): void;
  stop(): void;
}

interface CliProgress {
  SingleBar: new (options: object, preset: object) => ProgressBar;
  Presets: { shades_classic: object };
}

/** A bar on stderr, so stdout stays the result; none with --json, whose output is for scripts. */
export function progressBar(output: Output, format: string): ProgressBar | null {
  if (output.json) return null;
  const { SingleBar, Presets } = createRequire(__filename)('cli-progress') as CliProgress;
  return new SingleBar({ stream: process.stderr, format, hideCursor: true }, Presets.shades_classic);
}

export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, EXIT.usage);
  }
}

/** A file read for upload with a bytes bar following it; `stop()` clears the bar however the upload ends. */
export function uploadWithProgress(output: Output, path: string, size: number): { stream: Readable; stop(): void } {
  const bar = progressBar(output, 'uploading [{bar}] {percentage}% {value}/{total} bytes');
  bar?.start(size, 0);
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      bar?.update(sent);
      done(null, chunk);
    },
  });
  return { stream: createReadStream(path).pipe(counter), stop: () => bar?.stop() };
}
