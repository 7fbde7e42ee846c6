import type { Channel } from 'amqplib';
import type { TopologySpec } from './topology.types';

/** Declares every exchange of a topology as durable. */
export async function assertExchanges(channel: Channel, topology: TopologySpec): Promise<void> {
  for (const exchange of topology.exchanges) {
    await channel.assertExchange(exchange.name, exchange.type, {
      durable: true,
      autoDelete: false,
    });
  }
}

/** Declares every queue of a topology as durable, with its arguments. */
export async function assertQueues(channel: Channel, topology: TopologySpec): Promise<void> {
  for (const queue of topology.queues) {
    await channel.assertQueue(queue.name, { durable: true, arguments: { ...queue.arguments } });
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
