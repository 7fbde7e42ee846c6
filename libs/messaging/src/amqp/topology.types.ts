import type { QUEUE_TYPES } from './amqp.constants';

/** How a queue stores its messages: `classic` (one node) or `quorum` (Raft-replicated over a cluster). */
export type QueueType = (typeof QUEUE_TYPES)[number];

/** An exchange to declare: always durable, never auto-deleted. */
export interface ExchangeSpec {
  readonly name: string;
  readonly type: 'topic' | 'direct' | 'fanout';
}

/** A durable queue to declare, with its `x-` arguments (dead-lettering, TTL of retry queues). */
export interface QueueSpec {
  readonly name: string;
  readonly arguments?: Readonly<Record<string, string | number>>;
}

/** A binding of a queue to an exchange under a routing key (or topic pattern). */
export interface BindingSpec {
  readonly queue: string;
  readonly exchange: string;
  readonly routingKey: string;
}

/** A set of exchanges, queues and bindings: topology as data, applied by `TopologyInitializer`. */
export interface TopologySpec {
  readonly exchanges: readonly ExchangeSpec[];
  readonly queues: readonly QueueSpec[];
  readonly bindings: readonly BindingSpec[];
}

/**
 * Where a work queue sends what its consumer cannot handle: one retry routing key per retry level
 * (each a TTL queue that dead-letters back to the work queue) and the dead-letter destination.
 */
export interface WorkQueueRoute {
  readonly queue: string;
  readonly retryExchange: string;
  readonly retryRoutingKeys: readonly string[];
  readonly deadExchange: string;
  readonly deadRoutingKey: string;
}
