import type { EntityManager } from 'typeorm';
import { ContractViolation, encodeEvent } from '@mlops/contracts';
import { OutboxWriter } from './outbox-writer';
import { SAMPLE_TOPIC, sampleEvent } from './sample-events';

function fakeManager(inTransaction: boolean) {
  const query = jest.fn(async () => []);
  const manager = { query, queryRunner: { isTransactionActive: inTransaction } } as unknown as EntityManager;
  return { manager, query };
}

describe('OutboxWriter', () => {
  it('inserts the encoded event with its id, topic and key through the caller transaction', async () => {
    const { manager, query } = fakeManager(true);
    const event = sampleEvent('fraud');

    await new OutboxWriter('governance').enqueue(manager, SAMPLE_TOPIC, event);

    expect(query).toHaveBeenCalledWith(expect.stringContaining('INSERT INTO "governance".outbox'), [
      event.id,
      SAMPLE_TOPIC,
      'fraud',
      encodeEvent(SAMPLE_TOPIC, event),
    ]);
  });

  it('refuses a manager outside a transaction, whose insert would commit on its own', async () => {
    const { manager, query } = fakeManager(false);
    await expect(new OutboxWriter('governance').enqueue(manager, SAMPLE_TOPIC, sampleEvent('fraud'))).rejects.toThrow(
      /open transaction/,
    );
    expect(query).not.toHaveBeenCalled();
  });

  it('refuses an event its contract rejects', async () => {
    const { manager, query } = fakeManager(true);
    const event = sampleEvent('fraud');
    const broken = { ...event, data: { ...event.data, championVersion: 0 } };
    await expect(new OutboxWriter('governance').enqueue(manager, SAMPLE_TOPIC, broken)).rejects.toBeInstanceOf(
      ContractViolation,
    );
    expect(query).not.toHaveBeenCalled();
  });
});
