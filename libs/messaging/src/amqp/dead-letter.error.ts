import { AmqpError } from './amqp.errors';

/**
 * The error a delivery handler throws to dead-letter a message at once, without retries: the
 * message can never succeed (bad signature, unknown type, malformed payload).
 */
export class DeadLetterError extends AmqpError {
  constructor(
    /** The stable reason code written to the `x-flotilla-reason-code` header. */
    readonly reasonCode: string,
    message: string,
    context: {
      readonly messageId?: string;
      readonly queue?: string;
      readonly cause?: unknown;
    } = {},
  ) {
    super('AMQP_HANDLER_FAILED', message, context);
  }
}
