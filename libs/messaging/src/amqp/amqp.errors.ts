import { MessagingError } from '../errors';

/** The stable codes of transport failures. */
export type AmqpErrorCode =
  | 'AMQP_NOT_CONNECTED'
  | 'AMQP_CONNECTION_CLOSED'
  | 'AMQP_UNROUTABLE'
  | 'AMQP_PUBLISH_NACKED'
  | 'AMQP_PUBLISH_TIMEOUT'
  | 'AMQP_ACCESS_REFUSED'
  | 'AMQP_CHANNEL_CLOSED'
  | 'AMQP_BROKER_REFUSED'
  | 'AMQP_HANDLER_FAILED'
  | 'AMQP_MANAGEMENT_API'
  | 'AMQP_TOPOLOGY_INVALID'
  | 'AMQP_URL_INVALID'
  | 'AMQP_QUEUE_INEQUIVALENT';

/** Context fields an AMQP error may carry. */
export interface AmqpErrorContext {
  readonly exchange?: string;
  readonly routingKey?: string;
  readonly queue?: string;
  readonly messageId?: string;
  readonly cause?: unknown;
}

/** A failure of the AMQP transport, with a stable code and the exchange, routing key or message it concerns. */
export class AmqpError extends MessagingError {
  declare readonly code: AmqpErrorCode;
  readonly exchange?: string;
  readonly routingKey?: string;
  readonly queue?: string;
  readonly messageId?: string;

  constructor(code: AmqpErrorCode, message: string, context: AmqpErrorContext = {}) {
    const { cause, ...facts } = context;
    super(code, message, facts, { cause });
    this.exchange = context.exchange;
    this.routingKey = context.routingKey;
    this.queue = context.queue;
    this.messageId = context.messageId;
  }
}

/** Whether a failure is transient (the connection or channel went away) so that the operation may be retried. */
export function isTransientAmqpError(error: unknown): boolean {
  if (!(error instanceof AmqpError)) {
    return false;
  }
  return (
    error.code === 'AMQP_NOT_CONNECTED' ||
    error.code === 'AMQP_CONNECTION_CLOSED' ||
    error.code === 'AMQP_CHANNEL_CLOSED'
  );
}
