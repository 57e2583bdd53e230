// What the main job waits for from the monitor (and, for the rollout's outcome, from governance and the registry):
// a watched window with joined labels, the drift, the retraining it asks for, the rollout verdict and what it became.
import { platform, poll } from './platform-api';
import type { Names } from './lifecycle';
import type { StageProgress } from './timeline';
import type { LoadGenerator } from './traffic';

const trafficLine = (traffic: LoadGenerator) =>
  `${traffic.counts.http} HTTP + ${traffic.counts.grpc} gRPC answers, ${traffic.counts.labelsSent} labels sent, ${traffic.counts.failed} failed`;

/** Steady state before the drift: a champion window evaluated against its reference, and its labels joined. */
export async function awaitMonitoredWindow(run: Names, version: number, traffic: LoadGenerator, progress: StageProgress): Promise<{ detail: string }> {
  const window = await poll(
    'the monitor to evaluate a labelled window of the champion',
    async () => {
      progress.update(trafficLine(traffic));
      const [drift, performance] = await Promise.all([
        platform().monitor.drift({ params: { name: run.model }, query: { version, limit: 5 } }),
        platform().monitor.performance({ params: { name: run.model }, query: { version, limit: 5 } }),
      ]);
      const labelled = performance.items.find((w) => w.realised !== null);
      return drift.items.length > 0 && labelled ? { drift: drift.items[0], labelled } : undefined;
    },
    120,
    500,
  );
  if (traffic.counts.failed > 0) throw new Error(`${traffic.counts.failed} inference calls failed, the last: ${traffic.counts.lastError}`);
  const accuracy = window.labelled.realised?.accuracy;
  return {
    detail:
      `${trafficLine(traffic)}; window ${window.drift.windowId} of ${window.drift.rows} rows ${window.drift.drifted ? 'DRIFTED' : 'no drift'}, ` +
      `realised accuracy ${accuracy?.toFixed(3)} on ${window.labelled.labelled} labels`,
  };
}

export async function awaitDriftDetected(run: Names, version: number, onset: number, progress: StageProgress): Promise<{ detail: string }> {
  const window = await poll(
    'the monitor to detect the drift',
    async () => {
      const { items } = await platform().monitor.drift({ params: { name: run.model }, query: { version, limit: 10 } });
      progress.update(`${items.filter((w) => Date.parse(w.window.to) >= onset).length} windows evaluated since the onset`);
      return items.find((w) => w.dataset?.drifted && Date.parse(w.window.to) >= onset);
    },
    120,
  );
  const features = window.features.filter((f) => f.drifted).map((f) => `${f.feature} (${f.test} ${f.statistic.toFixed(2)})`);
  return { detail: `window ${window.windowId}: ${features.join(', ')} drifted, share ${window.dataset?.driftedShare}` };
}

export async function awaitRetrainingRequest(run: Names): Promise<{ requestId: string; detail: string }> {
  const decision = await poll('the monitor to request a retraining', async () => {
    const history = await platform().monitor.retraining({ params: { name: run.model } });
    return history.items.find((d) => d.decision === 'requested' && d.trainingRequestId !== null);
  });
  return { requestId: decision.trainingRequestId ?? '', detail: `request ${decision.trainingRequestId}: ${decision.reason} (cause: ${decision.cause.summary})` };
}

/** The monitor's first verdict other than continue, and the deployment governance and the registry made of it. */
export async function awaitRolloutOutcome(
  run: Names,
  champion: number,
  challenger: number,
  traffic: LoadGenerator,
  progress: StageProgress,
): Promise<{ detail: string }> {
  const verdict = await poll(
    'a rollout verdict',
    async () => {
      const { items } = await platform().monitor.rollouts({ params: { name: run.model } });
      const looks = items.filter((v) => v.challengerVersion === challenger);
      progress.update(`${looks.length} looks, the last: ${looks[0]?.verdict ?? 'none yet'}; ${trafficLine(traffic)}`);
      return looks.find((v) => v.verdict !== 'continue');
    },
    300,
  );
  const expected = verdict.verdict === 'promote' ? challenger : champion;
  const deployment = await poll(`the registry to apply the ${verdict.verdict}`, async () => {
    const { items } = await platform().registry.currentDeployments();
    const current = items.find((d) => d.modelName === run.model);
    return current && current.champion?.version === expected && current.challenger === null ? current : undefined;
  });
  const outcome = verdict.verdict === 'promote' ? `v${challenger} promoted to champion` : `v${challenger} rolled back, v${champion} serves alone`;
  return { detail: `${verdict.verdict}: ${verdict.reason}; ${outcome} (${deployment.reason})` };
}
