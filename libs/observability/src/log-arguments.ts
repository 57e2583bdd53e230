/** A log call taken apart the way Nest's own logger reads its arguments. */
export interface LogArguments {
  /** What was logged: a string, an Error, or an object of fields. */
  message: unknown;
  /** Everything after the message that is neither the context nor the stack. */
  params: unknown[];
  context?: string;
  stack?: string;
}

// A Nest-style stack trace: a first line, then "at file:line:column" frames.
const STACK_TRACE = /^.+\n\s+at .+:\d+:\d+/;

/**
 * Nest (and its Logger class, which appends its context) calls `log(message, ...params, context)` and
 * `error(message, stack?, context?)`: a trailing string is the context, and for errors a string before it is the
 * stack. A lone second argument to error() that reads as a stack trace is the stack, not a context.
 */
export function splitLogArguments(message: unknown, optional: unknown[], withStack: boolean): LogArguments {
  const params = [...optional];
  if (withStack && params.length === 1 && typeof params[0] === 'string' && STACK_TRACE.test(params[0])) {
    return { message, params: [], stack: params[0] };
  }
  const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
  let stack: string | undefined;
  if (withStack && params.length > 0) {
    const last = params[params.length - 1];
    if (typeof last === 'string' || last === undefined) {
      params.pop();
      stack = last;
    }
  }
  return { message, params, context, stack };
}
