// The prediction log worker thread (see WorkerPredictionSink): publishes each batch it receives, one at a time so
// records of a model keep their order in the topic, and answers with the batch's outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { createKafka, EventPublisher, MessagingLogger } from '@mlops/messaging';
import { publishPredictions, PublishOutcome } from './prediction-batch-publisher';
import type { FromLogWorker, LogWorkerData, ToLogWorker } from './prediction-log-sink';
import { unpackRecords } from './prediction-record-packing';

const port = parentPort;
if (!port) throw new Error('prediction-log-worker runs as a worker thread');
const post = (message: FromLogWorker) => port.postMessage(message);

const { kafka } = workerData as LogWorkerData;
const logger: MessagingLogger = {
  log: () => undefined,
  warn: (message) => post({ kind: 'log', level: 'warn', message }),
  error: (message) => post({ kind: 'log', level: 'error', message }),
};
const publisher = new EventPublisher(createKafka({ brokers: kafka.brokers, clientId: `${kafka.clientId}-predictions` }, logger), logger);

let queue = Promise.resolve();
port.on('message', (message: ToLogWorker) => {
  queue = queue.then(async () => {
    if (message.kind === 'records') {
      post({ kind: 'outcome', seq: message.seq, outcome: await publish(message.count, message.packed) });
    } else {
      await publisher.disconnect().catch(() => undefined);
      post({ kind: 'closed' });
    }
  });
});

/** Always an outcome, so the logger's count of records it handed over comes back down whatever happens here. */
async function publish(count: number, packed: Parameters<typeof unpackRecords>[0]): Promise<PublishOutcome> {
  try {
    return await publishPredictions(unpackRecords(packed), (topic, messages) => publisher.publishRaw(topic, messages));
  } catch (err) {
    return { published: 0, publishFailed: count, invalid: 0, warnings: [`${count} prediction log records dropped: ${(err as Error).message}`] };
  }
}
