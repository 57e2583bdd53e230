import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import type { SubmittedTrainingRequest, TrainingRequestStatus } from '@mlops/contracts';
import { BUCKETS } from '@mlops/storage';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { printResult } from '../output';
import { progressBar } from '../progress';
import { describeRun } from './runs.command';

interface TrainOptions {
  model: string;
  features: string;
  labels: string;
  labelsSha256?: string;
  algorithm: string;
  param: string[];
  seed: string;
  split: string;
  holdout: string;
  reason?: string;
  sensitive?: string;
  wait: boolean;
  pollMs: string;
}

/**
 * The label CSV pinned by content. A local file is uploaded (its sha256 computed on the way); an object already in
 * storage needs its sha256 given, since the CLI does not download a file only to hash it.
 */
async function labelCsv(ctx: CliContext, opts: TrainOptions): Promise<{ uri: string; sha256: string }> {
  if (opts.labels.startsWith('s3://')) {
    if (!opts.labelsSha256) throw new CliError(`--labels ${opts.labels}: give its --labels-sha256, or a local file to upload`, EXIT.usage);
    return { uri: opts.labels, sha256: opts.labelsSha256 };
  }
  if (opts.labelsSha256) throw new CliError('--labels-sha256 goes with an s3:// --labels; a local file is hashed as it is uploaded', EXIT.usage);
  const stored = await ctx.uploads.upload(ctx.output, opts.labels, BUCKETS.datasets, `uploads/labels/${opts.model}/${randomUUID()}.csv`, 'text/csv');
  return { uri: stored.uri, sha256: stored.sha256 };
}

/** `k=v`: numbers and true/false keep their type, anything else is a string (the trainer validates). */
export function parseParam(text: string, previous: Record<string, string | number | boolean> = {}): Record<string, string | number | boolean> {
  const at = text.indexOf('=');
  if (at <= 0) throw new CliError(`--param ${JSON.stringify(text)}: expected key=value`, EXIT.usage);
  const key = text.slice(0, at);
  const raw = text.slice(at + 1);
  const value = raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { ...previous, [key]: value };
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new CliError(`${flag}: expected a whole number, got ${JSON.stringify(text)}`, EXIT.usage);
  return value;
}

const refList = (text: string) => text.split(',').map((ref) => ref.trim()).filter((ref) => ref.length > 0);

export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('submit a training request to the trainer; --wait follows it to the finished run')
    .requiredOption('--model <name>', 'model name')
    .requiredOption('--features <refs>', 'comma-separated feature refs, view:feature,...')
    .requiredOption('--labels <file|uri>', 'label CSV with the join keys, event_timestamp and label: a local file (uploaded) or s3://bucket/key with --labels-sha256')
    .option('--labels-sha256 <hex>', 'the sha256 of the s3:// label CSV, which pins the exact bytes trained on')
    .requiredOption('--algorithm <name>', 'logistic_regression, linear_regression, gbdt_classifier or gbdt_regressor')
    .option('--param <key=value>', 'a hyperparameter (repeatable)', (text: string, previous: string[]) => [...previous, text], [] as string[])
    .option('--seed <n>', 'random seed', '0')
    .option('--split <policy>', 'holdout split: time (latest rows) or random', 'time')
    .option('--holdout <fraction>', 'share of rows held out for evaluation', '0.2')
    .option('--reason <text>', 'why (kept with the request)')
    .option('--sensitive <refs>', 'comma-separated feature refs (among --features) to report holdout metrics per group of, for fairness checks')
    .option('--wait', 'wait for the run, showing progress on stderr', false)
    .option('--poll-ms <ms>', 'how often --wait asks for progress', '500')
    .action(async (opts: TrainOptions) => {
      const hyperparameters = opts.param.reduce<Record<string, string | number | boolean>>((acc, text) => parseParam(text, acc), {});
      // The flags are sent as given: the trainer names each wrong one (body.algorithm, body.split.policy...).
      const body = {
        modelName: opts.model,
        featureRefs: refList(opts.features),
        labelSource: { kind: 'dataset', ...(await labelCsv(ctx, opts)) },
        algorithm: opts.algorithm,
        hyperparameters,
        split: { policy: opts.split, holdoutFraction: Number(opts.holdout) },
        seed: wholeNumber('--seed', opts.seed),
        ...(opts.reason ? { reason: opts.reason } : {}),
        ...(opts.sensitive ? { sensitiveAttributes: refList(opts.sensitive) } : {}),
      } as SubmittedTrainingRequest;
      const submitted = await ctx.trainer.submitTrainingRequest({ body });
      if (!opts.wait) {
        printResult(ctx.output, submitted, (s) => `submitted training request ${s.requestId} for ${opts.model}; follow it with: mlops train-status ${s.requestId}`);
        return;
      }
      const runId = await waitForRun(ctx, submitted.requestId, wholeNumber('--poll-ms', opts.pollMs));
      const run = await ctx.trainer.getRun({ params: { id: runId } });
      printResult(ctx.output, run, describeRun);
    });

  program
    .command('train-status <requestId>')
    .description('where a training request stands: queued, training (with progress), completed or failed')
    .action(async (requestId: string) => {
      const status = await ctx.trainer.trainingRequestStatus({ params: { requestId } });
      printResult(ctx.output, status, (s) => {
        if (s.status === 'training') return s.progress ? `training: iteration ${s.progress.iteration}/${s.progress.totalIterations}` : 'training';
        if (s.status === 'completed') return `completed: run ${s.runId}`;
        if (s.status === 'failed') return `failed after ${s.attempts} attempt(s): ${s.reason}`;
        return 'queued';
      });
    });
}

/** Polls the request until it ends; the bar (stderr, not with --json) follows the boosting rounds. */
async function waitForRun(ctx: CliContext, requestId: string, pollMs: number): Promise<string> {
  const bar = progressBar(ctx.output, '{phase} [{bar}] {value}/{total} iterations');
  let total: number | null = null;
  try {
    for (;;) {
      const status: TrainingRequestStatus = await ctx.trainer.trainingRequestStatus({ params: { requestId } });
      if (status.status === 'completed') {
        if (total !== null) bar?.update(total, { phase: 'done' });
        return status.runId;
      }
      if (status.status === 'failed') throw new CliError(`training request ${requestId} failed after ${status.attempts} attempt(s): ${status.reason}`, EXIT.failure);
      if (bar && status.status === 'training' && status.progress) {
        if (total === null) bar.start(status.progress.totalIterations, status.progress.iteration, { phase: 'training' });
        else bar.update(status.progress.iteration, { phase: 'training' });
        total = status.progress.totalIterations;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    if (total !== null) bar?.stop();
  }
}

