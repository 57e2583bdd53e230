import { decodeEvent } from '@mlops/contracts';
import { LogMessage, publishPredictions } from './prediction-batch-publisher';
import type { PredictionRecord } from './prediction-record';

function record(i: number, features = 2): PredictionRecord {
  return {
    requestId: `r-${i}`,
    modelName: 'churn',
    version: 1,
    role: 'champion',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [1, features], values: Float32Array.from({ length: features }, (_, f) => i + f / 8) }],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([1n]) }],
    latencyMs: 0.2,
    at: new Date('2026-01-01T00:00:00Z'),
  };
}

const requestIds = (messages: LogMessage[]) => messages.map((m) => JSON.parse(String(m.value)).data.requestId);

describe('publishPredictions', () => {
  it('publishes records in order as contract-valid events keyed by model, in sends of at most 512 KiB', async () => {
    const sent: LogMessage[][] = [];
    // ~30 KiB per record: 40 of them need three sends.
    const records = Array.from({ length: 40 }, (_, i) => record(i, 2000));
    const outcome = await publishPredictions(records, async (topic, messages) => {
      expect(topic).toBe('mlops.predictions.logged');
      sent.push(messages);
    });
    expect(outcome).toEqual({ published: 40, spooled: 0, publishFailed: 0, spoolFull: 0, invalid: 0, warnings: [] });
    expect(sent.length).toBeGreaterThan(1);
    for (const send of sent) expect(send.reduce((bytes, m) => bytes + (m.value?.length ?? 0), 0)).toBeLessThanOrEqual(512 * 1024);
    expect(requestIds(sent.flat())).toEqual(records.map((r) => r.requestId));
    const decoded = decodeEvent('mlops.predictions.logged', sent[0][0].value);
    expect(decoded.ok && decoded.event.data).toMatchObject({ requestId: 'r-0', modelName: 'churn', version: 1, role: 'champion', outputs: [{ datatype: 'INT64', data: [1] }], latencyMs: 0.2 });
    expect(sent[0][0].key).toBe('churn');
  });

  it('checks a batch whose sample breaks the contract record by record, dropping only the bad ones', async () => {
    const sent: LogMessage[] = [];
    const outcome = await publishPredictions([{ ...record(1), modelName: 'Not A Slug' }, record(2)], async (_topic, messages) => void sent.push(...messages));
    expect(requestIds(sent)).toEqual(['r-2']);
    expect(outcome).toMatchObject({ published: 1, publishFailed: 0, invalid: 1 });
    expect(outcome.warnings[0]).toContain('r-1');
  });

  it('counts the refused send and every later one as failed, without throwing', async () => {
    let sends = 0;
    const records = Array.from({ length: 40 }, (_, i) => record(i, 2000));
    const outcome = await publishPredictions(records, async () => {
      if (++sends === 2) throw new Error('broker down');
    });
    expect(sends).toBe(2);
    expect(outcome.published + outcome.publishFailed).toBe(40);
    expect(outcome.published).toBeGreaterThan(0);
    expect(outcome.warnings).toEqual([`${outcome.publishFailed} prediction log records dropped: broker down`]);
  });

  it('hands the refused send and every later record to the spill, counting what it could not keep', async () => {
    let sends = 0;
    const kept: LogMessage[] = [];
    const spill = { holding: () => false, keep: (messages: LogMessage[]) => kept.push(...messages.slice(0, 5)) && Math.min(5, messages.length) };
    const records = Array.from({ length: 100 }, (_, i) => record(i, 2000));
    const outcome = await publishPredictions(records, async () => {
      if (++sends === 2) throw new Error('broker down');
    }, spill);
    expect(outcome.published).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ spooled: 5, publishFailed: 0, spoolFull: 100 - outcome.published - 5 });
    expect(requestIds(kept)).toEqual(records.slice(outcome.published, outcome.published + 5).map((r) => r.requestId));
    expect(outcome.warnings).toEqual([`${outcome.spoolFull} prediction log records dropped: the spool is full (broker down)`]);
  });

  it('sends nothing while the spill holds earlier records: new ones queue behind them', async () => {
    const kept: LogMessage[] = [];
    const spill = { holding: () => true, keep: (messages: LogMessage[]) => kept.push(...messages) };
    const outcome = await publishPredictions([record(1), record(2)], async () => {
      throw new Error('must not be called');
    }, spill);
    expect(outcome).toMatchObject({ published: 0, spooled: 2, publishFailed: 0, spoolFull: 0 });
    expect(requestIds(kept)).toEqual(['r-1', 'r-2']);
  });
});
