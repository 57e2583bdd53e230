// The prediction log worker thread (see WorkerPredictionSink): publishes each batch it receives, one at a time so
// records of a model keep their order in the topic, and answers with the batch's outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { publishPredictions, PublishOutcome } from './prediction-batch-publisher';
import { PredictionLogProducer } from './prediction-log-producer';
import type { FromLogWorker, LogWorkerData, RingBatch, ToLogWorker } from './prediction-log-sink';
import { PredictionRing } from './prediction-ring';

const port = parentPort;
if (!port) throw new Error('prediction-log-worker runs as a worker thread');
const post = (message: FromLogWorker) => port.postMessage(message);

const { kafka } = workerData as LogWorkerData;
const producer = new PredictionLogProducer(kafka);

let queue = Promise.resolve();
port.on('message', (message: ToLogWorker) => {
  queue = queue.then(async () => {
    if (message.kind === 'records') {
      post({ kind: 'outcome', seq: message.seq, outcome: await publish(message) });
    } else {
      await producer.close().catch(() => undefined);
      post({ kind: 'closed' });
    }
  });
});

/**
 * Always an outcome, so the logger's count of records it handed over comes back down whatever happens here. The
 * records' tensors are views into the ring, which the logger reuses once it has the outcome: publishPredictions
 * encodes every record before it sends.
 */
async function publish(batch: RingBatch): Promise<PublishOutcome> {
  const count = batch.span.count;
  try {
    return await publishPredictions(PredictionRing.read(batch.buffer, batch.span), (topic, messages) => producer.publish(topic, messages));
  } catch (err) {
    return { published: 0, publishFailed: count, invalid: 0, warnings: [`${count} prediction log records dropped: ${(err as Error).message}`] };
  }
}
