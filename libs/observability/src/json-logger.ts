import { ServiceName } from '@mlops/contracts';
import { LoggerService } from '@nestjs/common';
import pino, { Level, Logger } from 'pino';
import { logContext } from './log-context';
import { LogArguments, splitLogArguments } from './log-arguments';

export interface JsonLoggerOptions {
  service: ServiceName;
  /** A pino level (fatal, error, warn, info, debug, trace) or a Nest one (log, verbose). */
  level: string;
  /** Where the JSON lines go; stdout when not given. */
  destination?: NodeJS.WritableStream;
}

// Nest's level names that pino spells differently.
const NEST_LEVELS: Record<string, Level> = { log: 'info', verbose: 'trace' };

function createSink(options: JsonLoggerOptions): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: NEST_LEVELS[options.level] ?? options.level,
    // Only the service: pid and hostname are noise next to what the container platform records already.
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names, not pino's numbers, so the lines read the same in any log store without a mapping.
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...logContext.current() }),
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/**
 * The platform's logger: one JSON object per line, carrying the service, the context and the request or event id
 * of the work in progress. Nest uses it as its LoggerService; libraries use it through its log/warn/error methods.
 */
export class JsonLogger implements LoggerService {
  private readonly sink: Logger;
  private readonly context?: string;

  /** `shared` is only for child(): a child writes through its parent's pino instance under its own context. */
  constructor(
    private readonly options: JsonLoggerOptions,
    shared?: { sink: Logger; context: string },
  ) {
    this.sink = shared?.sink ?? createSink(options);
    this.context = shared?.context;
  }

  child(context: string): JsonLogger {
    return new JsonLogger(this.options, { sink: this.sink, context });
  }

  log(message: unknown, ...optional: unknown[]): void {
    this.write('info', splitLogArguments(message, optional, false));
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', splitLogArguments(message, optional, true));
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', splitLogArguments(message, optional, false));
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', splitLogArguments(message, optional, false));
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', splitLogArguments(message, optional, false));
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', splitLogArguments(message, optional, true));
  }

  private write(level: Level, call: LogArguments): void {
    if (!this.sink.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = { context: call.context ?? this.context };
    let msg: string | undefined;
    if (typeof call.message === 'string') msg = call.message;
    else if (call.message instanceof Error) {
      msg = call.message.message;
      fields.err = call.message;
    } else if (isFields(call.message)) Object.assign(fields, call.message);
    else msg = String(call.message);

    const rest: unknown[] = [];
    for (const param of call.params) {
      if (param instanceof Error && fields.err === undefined) fields.err = param;
      else if (isFields(param)) Object.assign(fields, param);
      else rest.push(param);
    }
    if (rest.length > 0) fields.params = rest;
    if (call.stack) fields.stack = call.stack;
    this.sink[level](fields, msg);
  }
}

function isFields(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}
