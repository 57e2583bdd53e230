import type { Consumer, ConsumerConfig } from 'kafkajs';

/** A consumer group member's session with its coordinator (PlatformConfig.consumerSession). */
export interface ConsumerSession {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
}

/**
 * kafkajs keeps a member's session 30 s by default, and has no static membership (group.instance.id) nor Kafka 4's
 * consumer protocol, so a member killed without leaving holds its partitions until its session times out: a short
 * session is what brings a restarted member back to work quickly.
 */
export function sessionConfig(session: ConsumerSession | undefined): Pick<ConsumerConfig, 'sessionTimeout' | 'heartbeatInterval'> {
  return session ? { sessionTimeout: session.sessionTimeoutMs, heartbeatInterval: session.heartbeatIntervalMs } : {};
}

/**
 * Reports the partitions a member holds: its share on joining the group, 0 from a rebalance until it has joined
 * again, and 0 once it stopped or crashed, so a member that is up but idle shows as such.
 */
export function reportAssignment(consumer: Consumer, report: (partitions: number) => void): void {
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => report(Object.values(payload.memberAssignment).reduce((total, partitions) => total + partitions.length, 0)));
  for (const event of [consumer.events.REBALANCING, consumer.events.STOP, consumer.events.CRASH]) consumer.on(event, () => report(0));
}

/** kafkajs's own default, for consumers created without a session. */
const DEFAULT_HEARTBEAT_MS = 3000;

/**
 * Heartbeats every interval while the work runs. kafkajs heartbeats only between records and batches, so a handler
 * that runs longer than the session (a training run, a large batch on a loaded machine) would lose the member its
 * partitions and have its record delivered again; a refused heartbeat (a rebalance has begun) is left to the
 * client, which rejoins once the work returns.
 */
export async function heartbeatDuring<T>(work: () => Promise<T>, heartbeat: () => Promise<void>, session: ConsumerSession | undefined): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), session?.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
