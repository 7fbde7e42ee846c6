/** The small structured logger the transport writes to; the default discards everything. */
export interface AmqpLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const discard = (): void => undefined;

/** A logger that discards everything: the default of every transport class. */
export const NOOP_AMQP_LOGGER: AmqpLogger = Object.freeze({
  debug: discard,
  info: discard,
  warn: discard,
  error: discard,
});
