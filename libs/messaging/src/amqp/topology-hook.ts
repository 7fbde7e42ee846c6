import type { AmqpConnection } from './amqp-connection';
import { initTopology } from './topology-initializer';
import type { TopologySpec } from './topology.types';

/**
 * Declares `topology` now and after every reconnection (a broker restart may lose what was not
 * durable, and a new node may have nothing); returns the function that stops re-declaring it.
 */
export function declareTopologyOnConnect(
  connection: AmqpConnection,
  name: string,
  topology: TopologySpec,
): Promise<() => void> {
  return connection.addSetupHook(`topology:${name}`, async (model) => {
    const channel = await model.createChannel();
    try {
      await initTopology(channel, topology);
    } finally {
      await channel.close().catch(() => undefined);
    }
  });
}
