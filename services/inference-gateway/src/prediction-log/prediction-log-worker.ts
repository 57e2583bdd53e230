// The prediction log worker thread (see WorkerPredictionSink): publishes each batch it receives, one at a time so
// records of a model keep their order in the topic, and answers with the batch's outcome. Batches the broker does not
// take go to the on-disk spool, replayed from here once it is back.
import { parentPort, workerData } from 'node:worker_threads';
import { droppedOutcome, MAX_SEND_BYTES, publishPredictions, PublishOutcome } from './prediction-batch-publisher';
import { PREDICTIONS_TOPIC } from './prediction-event-json';
import { PredictionLogProducer } from './prediction-log-producer';
import type { FromLogWorker, LogWorkerData, RingBatch, ToLogWorker } from './prediction-log-sink';
import { PredictionRing } from './prediction-ring';
import { PredictionSpool } from './prediction-spool';
import { SpoolReplay } from './spool-replay';

const port = parentPort;
if (!port) throw new Error('prediction-log-worker runs as a worker thread');
const post = (message: FromLogWorker) => port.postMessage(message);

const { kafka, spool } = workerData as LogWorkerData;
const producer = new PredictionLogProducer(kafka);
const replay = spool ? openReplay(spool) : null;

let queue = Promise.resolve();
port.on('message', (message: ToLogWorker) => {
  queue = queue.then(async () => {
    if (message.kind === 'records') {
      post({ kind: 'outcome', seq: message.seq, outcome: await publish(message) });
    } else {
      await replay?.stop().catch(() => undefined);
      await producer.close().catch(() => undefined);
      post({ kind: 'closed' });
    }
  });
});

function openReplay(options: NonNullable<LogWorkerData['spool']>): SpoolReplay | null {
  try {
    const opened = new SpoolReplay(PredictionSpool.open(options), {
      send: (messages) => producer.publish(PREDICTIONS_TOPIC, messages),
      onProgress: (progress) => post({ kind: 'spool', ...progress }),
      onError: (message) => post({ kind: 'warning', message }),
      retryMs: options.retryMs,
      sendBytes: MAX_SEND_BYTES,
    });
    opened.start();
    return opened;
  } catch (err) {
    post({ kind: 'warning', message: `prediction spool unavailable, records the broker refuses are dropped: ${(err as Error).message}` });
    return null;
  }
}

/**
 * Always an outcome, so the logger's count of records it handed over comes back down whatever happens here. The
 * records' tensors are views into the ring, which the logger reuses once it has the outcome: publishPredictions
 * encodes every record before it sends, and the spool copies what it keeps.
 */
async function publish(batch: RingBatch): Promise<PublishOutcome> {
  try {
    return await publishPredictions(PredictionRing.read(batch.buffer, batch.span), (topic, messages) => producer.publish(topic, messages), replay ?? undefined);
  } catch (err) {
    return droppedOutcome(batch.span.count, (err as Error).message);
  }
}
