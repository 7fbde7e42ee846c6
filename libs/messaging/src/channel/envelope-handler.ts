import type { AmqpDelivery } from '../amqp';
import type { OpenedEnvelope } from '../envelope/opened-envelope';

/**
 * A handler of one message type: it receives a verified envelope and resolves once its work is done
 * (then the message is remembered and acked); throwing retries it with backoff, then dead-letters it.
 */
export type EnvelopeHandler = (
  envelope: OpenedEnvelope,
  delivery: AmqpDelivery,
) => Promise<void> | void;
