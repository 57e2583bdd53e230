import { DLQ_HEADERS } from '@mlops/contracts';
import { DeadLetterPublishError, deadLetterHeaders } from './dead-letter';

const source = { topic: 'mlops.training.completed', partition: 2, offset: '41', groupId: 'mlops-registry' };

describe('deadLetterHeaders', () => {
  it('names the reason, stage, source record, consumer group and failure time', () => {
    const headers = deadLetterHeaders('data.runId: Invalid UUID', 'decode', source, new Date('2026-03-01T10:00:00Z'));
    expect(headers).toEqual({
      [DLQ_HEADERS.error]: 'data.runId: Invalid UUID',
      [DLQ_HEADERS.stage]: 'decode',
      [DLQ_HEADERS.sourceTopic]: 'mlops.training.completed',
      [DLQ_HEADERS.sourcePartition]: '2',
      [DLQ_HEADERS.sourceOffset]: '41',
      [DLQ_HEADERS.consumer]: 'mlops-registry',
      [DLQ_HEADERS.failedAt]: '2026-03-01T10:00:00.000Z',
    });
  });

  it('keeps the record\'s own headers, ours winning on a clash', () => {
    const traceparent = Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    const headers = deadLetterHeaders('bad', 'decode', source, new Date(), {
      traceparent,
      'ce_type': ['a', 'b'],
      [DLQ_HEADERS.stage]: 'forged',
    });
    expect(headers.traceparent).toBe(traceparent);
    expect(headers.ce_type).toEqual(['a', 'b']);
    expect(headers[DLQ_HEADERS.stage]).toBe('decode');
  });

  it('shortens a huge reason so the dead letter still fits in a Kafka message', () => {
    const reason = 'x'.repeat(50_000);
    const header = deadLetterHeaders(reason, 'apply', source, new Date())[DLQ_HEADERS.error];
    expect(header.length).toBe(2000);
    expect(header.startsWith('xxx')).toBe(true);
    expect(header.endsWith('…')).toBe(true);
  });
});

describe('DeadLetterPublishError', () => {
  it('is marked retriable so kafkajs restarts consuming and delivers the record again', () => {
    const error = new DeadLetterPublishError(source, new Error('Connection timeout'));
    expect(error.retriable).toBe(true);
    expect(error.message).toBe('could not dead-letter mlops.training.completed[2]@41: Error: Connection timeout');
  });
});
