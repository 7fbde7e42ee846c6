import { performance } from 'node:perf_hooks';
import { declareTopologyOnConnect } from '@flotilla/messaging';
import { BrokerNamespace, TEST_AMQP_URL } from '../../libs/messaging/testing';
import { BENCH_AGENT, MESSAGE_COUNT, type BenchJob } from './bench.constants';
import { ChildLink } from './child-link';

/** End-to-end and publisher-side rates of one mode, in messages per second. */
export interface Rates {
  readonly endToEnd: number;
  readonly published: number;
}

/**
 * Measures one mode on a fresh namespace of the shared broker: a consumer process, then a
 * publisher process; the clock runs from the publisher's start to the consumer's last ack.
 */
export async function measureMode(
  mode: BenchJob['mode'],
  dataDir: string,
  options: { profileDir?: string; verifyWorkers: number },
): Promise<Rates> {
  const { profileDir, verifyWorkers } = options;
  const ns = new BrokerNamespace();
  const children: ChildLink[] = [];
  try {
    const setup = ns.connection();
    await declareTopologyOnConnect(setup, ns.id, ns.topology.dmTopology());
    await setup.start();
    const base = {
      mode,
      url: TEST_AMQP_URL,
      namespace: ns.id,
      exchange: ns.topology.dmExchange,
      routingKey: ns.topology.agentToDmRoutingKey(BENCH_AGENT, 'report'),
      queue: ns.topology.dmInboxQueue,
      dataDir,
      verifyWorkers,
    };
    const consumer = new ChildLink({ ...base, role: 'consumer' }, profileDir);
    children.push(consumer);
    await consumer.waitFor('ready');
    const publisher = new ChildLink({ ...base, role: 'publisher' }, profileDir);
    children.push(publisher);
    await publisher.waitFor('ready');
    const startedAt = performance.now();
    publisher.start();
    const secondsUntil = async (child: ChildLink): Promise<number> => {
      await child.waitFor('done');
      return (performance.now() - startedAt) / 1000;
    };
    const [consumed, published] = await Promise.all([
      secondsUntil(consumer),
      secondsUntil(publisher),
    ]);
    // A child writes its CPU profile only when it exits by itself.
    await Promise.all(children.map((child) => child.waitForExit()));
    return { endToEnd: MESSAGE_COUNT / consumed, published: MESSAGE_COUNT / published };
  } finally {
    children.forEach((child) => child.stop());
    await ns.nuke();
  }
}
