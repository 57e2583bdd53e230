import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { PermanentTrainingFailure } from '../train-on-request/training-failures';
import { CUSTOM_TRAINING_CONFIG, CustomTrainingConfig } from '../trainer.config';
import { TRAINER_NAME } from './custom-training-request';

/** The file a registered trainer's folder must hold, executable. */
export const TRAINER_ENTRY = 'train';

export interface RegisteredTrainer {
  name: string;
  dir: string;
  entry: string;
}

/**
 * Trainers are registered by the operator as folders of the configured directory; a request can only name one.
 * Nothing from an event is ever used as a path beyond a name checked against TRAINER_NAME.
 */
@Injectable()
export class CustomTrainerRegistry {
  constructor(@Inject(CUSTOM_TRAINING_CONFIG) private readonly config: CustomTrainingConfig) {}

  async resolve(name: string): Promise<RegisteredTrainer> {
    const root = this.config.trainersDir;
    if (!root) throw new PermanentTrainingFailure(`custom trainer ${name}: custom training is off (MLOPS_TRAINER_CUSTOM_TRAINERS_DIR is not set)`);
    if (!TRAINER_NAME.test(name)) throw new PermanentTrainingFailure(`unknown custom trainer ${JSON.stringify(name)}`);
    const dir = join(root, name);
    const entry = join(dir, TRAINER_ENTRY);
    try {
      if (!(await stat(entry)).isFile()) throw new Error('not a file');
      await access(entry, constants.X_OK);
    } catch {
      const known = await this.names();
      throw new PermanentTrainingFailure(
        `unknown custom trainer ${JSON.stringify(name)}: no executable ${TRAINER_ENTRY} in ${dir} (registered: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    }
    return { name, dir, entry };
  }

  /**
   * The trainer's code version: a sha256 over its folder's files (paths and contents), so a run records which
   * code produced it and an edited trainer is told apart.
   */
  async codeVersion(trainer: RegisteredTrainer): Promise<string> {
    const hash = createHash('sha256');
    for (const file of await filesUnder(trainer.dir)) {
      hash.update(relative(trainer.dir, file)).update('\0').update(await readFile(file)).update('\0');
    }
    return `custom/${trainer.name}@sha256:${hash.digest('hex')}`;
  }

  private async names(): Promise<string[]> {
    const entries = await readdir(this.config.trainersDir!, { withFileTypes: true });
    return entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && TRAINER_NAME.test(e.name)).map((e) => e.name).sort();
  }
}

/** Regular files below dir in a stable order, skipping hidden entries and Python bytecode caches. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === '__pycache__') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
