import { Writable } from 'node:stream';
import { JsonLogger } from './json-logger';
import { logContext } from './log-context';

/** A destination that keeps every line the logger writes, parsed. */
function capture(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { stream, lines };
}

function loggerAt(level: string) {
  const { stream, lines } = capture();
  return { logger: new JsonLogger({ service: 'registry', level, destination: stream }), lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per record with level name, time, service, context and msg', () => {
    const { logger, lines } = loggerAt('info');
    logger.log('model registered', 'RegistryService');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', service: 'registry', context: 'RegistryService', msg: 'model registered' });
    expect(new Date(String(lines[0].time)).toISOString()).toBe(lines[0].time);
  });

  it('maps each Nest method to its level', () => {
    const { logger, lines } = loggerAt('trace');
    logger.fatal('a');
    logger.error('b');
    logger.warn('c');
    logger.log('d');
    logger.debug('e');
    logger.verbose('f');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['fatal', 'a'],
      ['error', 'b'],
      ['warn', 'c'],
      ['info', 'd'],
      ['debug', 'e'],
      ['trace', 'f'],
    ]);
  });

  it('drops records below its level, accepting Nest level names', () => {
    const { logger, lines } = loggerAt('log');
    logger.debug('hidden');
    logger.verbose('hidden');
    logger.log('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('adds requestId and eventId from the log context', () => {
    const { logger, lines } = loggerAt('info');
    logContext.run({ requestId: 'req-1' }, () => logContext.run({ eventId: 'evt-1' }, () => logger.log('inside')));
    logger.log('outside');
    expect(lines[0]).toMatchObject({ requestId: 'req-1', eventId: 'evt-1', msg: 'inside' });
    expect(lines[1]).not.toHaveProperty('requestId');
    expect(lines[1]).not.toHaveProperty('eventId');
  });

  it('keeps the context of a child unless a call names another', () => {
    const { logger, lines } = loggerAt('info');
    const child = logger.child('OutboxRelay');
    child.log('published');
    child.warn('slow', 'Override');
    expect(lines.map((l) => l.context)).toEqual(['OutboxRelay', 'Override']);
  });

  it('reads error(message, stack, context) the way Nest calls it', () => {
    const { logger, lines } = loggerAt('info');
    const stack = 'Error: boom\n    at handler (/app/x.ts:1:2)';
    logger.error('request failed', stack, 'ExceptionsHandler');
    logger.error('request failed', stack);
    logger.error('no stack', undefined, 'Bootstrap');
    expect(lines[0]).toMatchObject({ msg: 'request failed', stack, context: 'ExceptionsHandler' });
    expect(lines[1]).toMatchObject({ msg: 'request failed', stack });
    expect(lines[1]).not.toHaveProperty('context');
    expect(lines[2]).toMatchObject({ msg: 'no stack', context: 'Bootstrap' });
    expect(lines[2]).not.toHaveProperty('stack');
  });

  it('serialises errors and merges objects of fields', () => {
    const { logger, lines } = loggerAt('info');
    logger.error(new Error('broker down'), 'Kafka');
    logger.warn('retrying', { attempt: 2, topic: 'mlops.training.requested' }, 42);
    logger.log({ event: 'started', port: 8084 });
    expect(lines[0]).toMatchObject({ msg: 'broker down', context: 'Kafka', err: { message: 'broker down' } });
    expect(String((lines[0].err as { stack: string }).stack)).toContain('broker down');
    expect(lines[1]).toMatchObject({ msg: 'retrying', attempt: 2, topic: 'mlops.training.requested', params: [42] });
    expect(lines[2]).toMatchObject({ event: 'started', port: 8084 });
  });
});
