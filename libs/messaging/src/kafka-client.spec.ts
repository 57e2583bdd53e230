import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-client';

describe('kafkaLogCreator', () => {
  const entry = (level: logLevel, message: string) => ({
    namespace: 'Consumer',
    level,
    label: logLevel[level],
    log: { timestamp: '2026-01-01T00:00:00.000Z', message, groupId: 'mlops-monitor' },
  });

  it('routes warnings and errors to the logger with their details, and drops everything quieter', () => {
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const write = kafkaLogCreator(logger)(logLevel.WARN);

    write(entry(logLevel.ERROR, 'Crash: KafkaJSConnectionError'));
    write(entry(logLevel.WARN, 'The group is rebalancing'));
    write(entry(logLevel.INFO, 'Consumer has joined the group'));
    write(entry(logLevel.DEBUG, 'Fetching from 1 partitions'));

    const details = { groupId: 'mlops-monitor' };
    expect(logger.error).toHaveBeenCalledWith('kafkajs Consumer: Crash: KafkaJSConnectionError', details);
    expect(logger.warn).toHaveBeenCalledWith('kafkajs Consumer: The group is rebalancing', details);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.log).not.toHaveBeenCalled();
  });
});
