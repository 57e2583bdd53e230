import { decodeEvent } from '@mlops/contracts';
import { LABELS_TOPIC, PREDICTIONS_TOPIC, StreamProcessor } from './stream-processor';

/**
 * One consumed record, checked against its contract and folded; null when it folded, else why it could not be read.
 * `predictionsTopic` lets the benchmark read its own topic through exactly this path.
 */
export function foldRecord(processor: StreamProcessor, topic: string, partition: number, offset: number, value: Buffer | null, predictionsTopic = PREDICTIONS_TOPIC): string | null {
  if (topic === predictionsTopic) {
    const decoded = decodeEvent(PREDICTIONS_TOPIC, value);
    if (!decoded.ok) return decoded.error;
    processor.foldPrediction(decoded.event.data, partition, offset);
    return null;
  }
  const decoded = decodeEvent(LABELS_TOPIC, value);
  if (!decoded.ok) return decoded.error;
  processor.foldLabel(decoded.event.data, partition, offset);
  return null;
}
