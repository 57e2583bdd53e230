// The platform's main job: the whole life of a model, hands-off, on a generated stream with drift in it.
//   node -r @swc-node/register deploy/local/main-job/main.ts <run tag>   (deploy/local/platform up|demo run it)
// Features stream over Kafka, a training request makes v1, the registry versions it, governance checks and approves
// it, it serves as champion, a load generator calls it over OIP (HTTP and gRPC) and reports labels late; then the
// world drifts, the monitor sees it and asks for a retraining, the challenger goes the same way to a canary, and the
// monitor's rollout verdict promotes it or rolls it back. Each run has its own model and feature view (named by the
// run tag), so a rerun on a running stack starts from the same place as the first run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_KEY, keys, makeKeys, platform, poll, REPO, revokeKeys } from './platform-api';
import { Timeline } from './timeline';
import { LoadGenerator } from './traffic';
import {
  applyPolicies,
  awaitApproval,
  awaitRegistered,
  awaitTraining,
  defineFeatures,
  deploy,
  requestTraining,
  streamFeatures,
  type Names,
} from './lifecycle';
import { awaitDriftDetected, awaitMonitoredWindow, awaitRetrainingRequest, awaitRolloutOutcome } from './monitoring';
import { World } from './world';

const TRAFFIC_PER_SECOND = 80;
const LABEL_DELAY_MS = 3000;
const CANARY_WEIGHT = 0.3;
const GOAL_SECONDS = 120;

function names(tag: string): Names {
  return { model: `churn-${tag}`, view: `usage_${tag}`, topic: `usage_${tag}.src` };
}

function cli(args: string[]): string {
  return execFileSync(join(REPO, 'apps/cli/bin/mlops'), args, { env: { ...process.env, MLOPS_API_KEY: ADMIN_KEY }, encoding: 'utf8' });
}

// One event type per step of the loop; governance audits each as it consumes it, moments after the step.
const LOOP_EVENTS = [
  'mlops.training.requested.v1',
  'mlops.training.completed.v1',
  'mlops.registry.version-registered.v1',
  'mlops.governance.approval-requested.v1',
  'mlops.governance.approval-decided.v1',
  'mlops.registry.deployment-changed.v1',
  'mlops.monitor.drift-detected.v1',
  'mlops.monitor.rollout-verdict.v1',
  'mlops.governance.rollout-decided.v1',
];

/** What governance's audit log holds about the model, once every step of the loop is in it. */
async function auditTrail(model: string): Promise<Map<string, number>> {
  return poll('every step of the loop in the audit log', async () => {
    const { items } = await platform(keys.auditor).governance.listAuditEntries({ query: { subject: model, limit: 1000 } });
    const counts = new Map<string, number>();
    for (const { eventType } of items) counts.set(eventType, (counts.get(eventType) ?? 0) + 1);
    // Three deployments: the champion, the canary, and the rollout's outcome.
    return LOOP_EVENTS.every((type) => counts.has(type)) && (counts.get('mlops.registry.deployment-changed.v1') ?? 0) >= 3 ? counts : undefined;
  }, 60, 500);
}

async function main(): Promise<void> {
  const tag = process.argv[2];
  if (!tag || !/^[a-z0-9]{1,20}$/.test(tag)) throw new Error('usage: main.ts <run tag: a-z, 0-9, at most 20>');
  const run = names(tag);
  const world = new World(42);
  const timeline = new Timeline();
  console.log(`\nmain job ${tag}: model ${run.model}, feature view ${run.view} on topic ${run.topic}\n`);

  const made = await timeline.stage('keys and policies', async () => {
    const created = await makeKeys();
    await applyPolicies(run);
    return { created, detail: `keys for demo-scientist and demo-auditor; ${run.model}: minimal risk, rollout auto, retraining on drift` };
  });
  await timeline.stage('features streamed over Kafka', async (progress) => {
    await defineFeatures(run);
    return streamFeatures(run, world, 'before', 2000, progress);
  });
  const first = await timeline.stage('training requested', () => requestTraining(run));
  const v1 = await timeline.stage('champion trained', (progress) => awaitTraining(first.requestId, progress));
  const champion = await timeline.stage('version registered', () => awaitRegistered(run, v1.runId));
  await timeline.stage('checked and approved by governance', () => awaitApproval(run, champion.version));
  await timeline.stage('deployed as champion', () => deploy(run, { champion: champion.version, reason: 'approved v1 by its policy' }));

  const traffic = new LoadGenerator(run.model, world, TRAFFIC_PER_SECOND, LABEL_DELAY_MS);
  await traffic.start();
  try {
    await timeline.stage('OIP traffic (HTTP, gRPC), labels arrive late', (progress) => awaitMonitoredWindow(run, champion.version, traffic, progress));
    // The new era's customers reach the feature stream first, then call the app: a retraining asked for as soon as the
    // drift shows must find them (it reads the labels recorded until its request). The onset counts from the first.
    const onset = Date.now();
    timeline.mark('drift injected', 'customers move to 300-900 minutes and heavy users start to churn');
    await timeline.stage('new-era features streamed', (progress) => streamFeatures(run, world, 'after', 1500, progress));
    traffic.era = 'after';
    await timeline.stage('drift detected by the monitor', (progress) => awaitDriftDetected(run, champion.version, onset, progress));
    const retraining = await timeline.stage('retraining requested by the monitor', () => awaitRetrainingRequest(run));
    const v2 = await timeline.stage('challenger trained', (progress) => awaitTraining(retraining.requestId, progress));
    const challenger = await timeline.stage('challenger registered', () => awaitRegistered(run, v2.runId));
    await timeline.stage('challenger checked and approved', () => awaitApproval(run, challenger.version));
    await timeline.stage('challenger on canary', () =>
      deploy(run, { champion: champion.version, canary: { version: challenger.version, weight: CANARY_WEIGHT }, reason: 'approved retraining after drift' }, traffic),
    );
    const onsetToCanary = (timeline.endOf('challenger on canary') - onset) / 1000;
    await timeline.stage('rollout verdict and its outcome', (progress) => awaitRolloutOutcome(run, champion.version, challenger.version, traffic, progress));
    timeline.print();
    console.log(
      `\n  drift onset -> challenger on canary: ${onsetToCanary.toFixed(1)} s (goal <= ${GOAL_SECONDS} s: ${onsetToCanary <= GOAL_SECONDS ? 'met' : 'NOT met'}); ` +
        `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    const c = traffic.counts;
    console.log(`  traffic: ${c.http} HTTP + ${c.grpc} gRPC answers (${JSON.stringify(c.byVersion)} by version), ${c.failed} failed, ${c.labelsSent} labels sent`);
  } finally {
    await traffic.stop();
  }

  console.log(`\n  the audit log of ${run.model}, by event type:`);
  for (const [type, count] of await auditTrail(run.model)) console.log(`    ${String(count).padStart(5)}  ${type}`);
  console.log('\n  mlops audit verify:');
  console.log(cli(['audit', 'verify']).replace(/^/gm, '    '));
  console.log(`  mlops delivery --model ${run.model}:`);
  console.log(cli(['delivery', '--model', run.model]).replace(/^/gm, '    '));
  await revokeKeys(made.created);
  console.log(`  the job's keys are revoked. Look again with: export MLOPS_API_KEY="$(cat .data/admin.key)"; mlops drift ${run.model}; mlops history ${run.model}`);
}

main().catch((err: Error) => {
  console.error(`main job failed: ${err.message}`);
  process.exit(1);
});
