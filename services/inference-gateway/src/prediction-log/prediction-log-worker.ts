// The prediction log worker thread (see WorkerPredictionSink): publishes each batch it receives, one at a time so
// records of a model keep their order in the topic, and answers with the batch's outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { publishPredictions, PublishOutcome } from './prediction-batch-publisher';
import { PredictionLogProducer } from './prediction-log-producer';
import type { FromLogWorker, LogWorkerData, ToLogWorker } from './prediction-log-sink';
import { unpackRecords } from './prediction-record-packing';

const port = parentPort;
if (!port) throw new Error('prediction-log-worker runs as a worker thread');
const post = (message: FromLogWorker) => port.postMessage(message);

const { kafka } = workerData as LogWorkerData;
const producer = new PredictionLogProducer(kafka);

let queue = Promise.resolve();
port.on('message', (message: ToLogWorker) => {
  queue = queue.then(async () => {
    if (message.kind === 'records') {
      post({ kind: 'outcome', seq: message.seq, outcome: await publish(message.count, message.packed) });
    } else {
      await producer.close().catch(() => undefined);
      post({ kind: 'closed' });
    }
  });
});

/** Always an outcome, so the logger's count of records it handed over comes back down whatever happens here. */
async function publish(count: number, packed: Parameters<typeof unpackRecords>[0]): Promise<PublishOutcome> {
  try {
    return await publishPredictions(unpackRecords(packed), (topic, messages) => producer.publish(topic, messages));
  } catch (err) {
    return { published: 0, publishFailed: count, invalid: 0, warnings: [`${count} prediction log records dropped: ${(err as Error).message}`] };
  }
}
