/** What the library needs from a logger; the platform JsonLogger (and Nest's Logger) satisfy it. */
export interface MessagingLogger {
  log(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  error(message: string, ...meta: unknown[]): void;
}
