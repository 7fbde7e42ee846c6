import type { Channel } from 'amqplib';
import { PRECONDITION_FAILED_REPLY_CODE } from './amqp.constants';
import { AmqpError } from './amqp.errors';
import type { QueueSpec, TopologySpec } from './topology.types';

/** How RabbitMQ words a declaration that contradicts the existing queue (argument, received, current). */
const INEQUIVALENT_ARG = /inequivalent arg '([^']+)'.*: received (.+) but current is (.+?)"?$/;

/** Declares every exchange of a topology as durable. */
export async function assertExchanges(channel: Channel, topology: TopologySpec): Promise<void> {
  for (const exchange of topology.exchanges) {
    await channel.assertExchange(exchange.name, exchange.type, {
      durable: true,
      autoDelete: false,
    });
  }
}

/**
 * Declares every queue of a topology as durable, with its arguments.
 * @throws AmqpError AMQP_QUEUE_INEQUIVALENT when a queue exists with other arguments, typically a
 * classic queue now declared as quorum: RabbitMQ cannot convert a queue in place (see
 * rabbitmq/CLUSTER.md, "Moving to quorum queues").
 */
export async function assertQueues(channel: Channel, topology: TopologySpec): Promise<void> {
  for (const queue of topology.queues) {
    try {
      await channel.assertQueue(queue.name, { durable: true, arguments: { ...queue.arguments } });
    } catch (error: unknown) {
      throw inequivalentQueue(queue, error) ?? error;
    }
  }
}

/** Binds every queue of a topology to its exchange. */
export async function bindQueues(channel: Channel, topology: TopologySpec): Promise<void> {
  for (const binding of topology.bindings) {
    await channel.bindQueue(binding.queue, binding.exchange, binding.routingKey);
  }
}

/** Declares a whole topology (exchanges, then queues, then bindings); idempotent. */
export async function initTopology(channel: Channel, topology: TopologySpec): Promise<void> {
  await assertExchanges(channel, topology);
  await assertQueues(channel, topology);
  await bindQueues(channel, topology);
}

/** Empties every queue of a topology, keeping the declarations. */
export async function purgeTopology(channel: Channel, topology: TopologySpec): Promise<void> {
  for (const queue of topology.queues) {
    await channel.purgeQueue(queue.name);
  }
}

/** Deletes every queue and exchange of a topology (deleting what is already gone is not an error). */
export async function nukeTopology(channel: Channel, topology: TopologySpec): Promise<void> {
  for (const queue of topology.queues) {
    await channel.deleteQueue(queue.name);
  }
  for (const exchange of topology.exchanges) {
    await channel.deleteExchange(exchange.name);
  }
}

/** The domain error for a declaration the existing queue contradicts, or undefined for other errors. */
function inequivalentQueue(queue: QueueSpec, error: unknown): AmqpError | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  const match =
    code === PRECONDITION_FAILED_REPLY_CODE
      ? INEQUIVALENT_ARG.exec(String((error as Error).message))
      : null;
  if (match === null) {
    return undefined;
  }
  const [, argument, received, current] = match;
  const declaredType = String(queue.arguments?.['x-queue-type'] ?? 'classic');
  return new AmqpError(
    'AMQP_QUEUE_INEQUIVALENT',
    `queue ${queue.name} exists with other arguments than its ${declaredType} declaration ` +
      `(${argument ?? '?'}: declared ${received ?? '?'}, existing ${current ?? '?'}); RabbitMQ cannot ` +
      'change a queue in place: keep the queue type it was created with, or drain and delete it ' +
      'first (rabbitmq/CLUSTER.md, "Moving to quorum queues")',
    { queue: queue.name, cause: error },
  );
}
