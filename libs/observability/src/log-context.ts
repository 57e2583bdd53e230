import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContextFields {
  requestId?: string;
  eventId?: string;
}

const storage = new AsyncLocalStorage<LogContextFields>();

/**
 * Correlation ids that follow the async work of one request or event, so every log line it causes carries them
 * without passing them through every call.
 */
export const logContext = {
  /** Runs fn with these ids added to (not replacing) the ones already in force. */
  run<T>(fields: LogContextFields, fn: () => T): T {
    return storage.run({ ...storage.getStore(), ...fields }, fn);
  },
  current(): LogContextFields {
    return storage.getStore() ?? {};
  },
};
