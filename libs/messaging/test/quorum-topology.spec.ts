import { expect } from 'chai';
import {
  AmqpError,
  FlotillaTopology,
  initTopology,
  mergeTopologies,
  type AmqpConnection,
} from '@flotilla/messaging';
import {
  BrokerNamespace,
  RawAmqp,
  TEST_AMQP_URL,
  TEST_VHOST,
  caughtError,
  forceCloseConnections,
} from '../testing';

/** A loopback port nothing listens on: the first "node" of the list is down. */
const DOWN_NODE_URL = 'amqp://flotilla-admin:flotilla-admin@127.0.0.1:1/flotilla';

describe('Broker URL lists and quorum queues (real RabbitMQ)', () => {
  let ns: BrokerNamespace;

  beforeEach(() => {
    ns = new BrokerNamespace({ queueType: 'quorum' });
  });

  afterEach(async () => {
    await ns.nuke();
  });

  async function queueType(name: string): Promise<string> {
    const path = `/api/queues/${encodeURIComponent(TEST_VHOST)}/${encodeURIComponent(name)}`;
    return ((await ns.management.request('GET', path)) as { type: string }).type;
  }

  async function declare(connection: AmqpConnection, topology: FlotillaTopology): Promise<void> {
    const model = await connection.waitForConnection(10_000);
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    try {
      await initTopology(
        channel,
        mergeTopologies([topology.exchanges(), topology.agentTopology('web-1')]),
      );
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  describe('AmqpConnection', () => {
    it('should connect to the next node of the list when the first one is down', async () => {
      const sut = ns.connection({
        url: `${DOWN_NODE_URL},${TEST_AMQP_URL}`,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      });
      const reached: string[] = [];
      sut.on('connected', (info) => reached.push(info.url));
      const failures: Error[] = [];
      sut.on('error', (error) => failures.push(error));

      await sut.start();

      expect(failures.map((error) => error.message)).to.deep.equal([
        'connect ECONNREFUSED 127.0.0.1:1',
      ]);
      expect(reached).to.deep.equal(['amqp://flotilla-admin:***@127.0.0.1:5672/flotilla']);
      expect(sut.loggableUrl).to.not.contain('flotilla-admin:flotilla-admin');
    });

    it('should reconnect to the next node of the list first when its connection is lost', async () => {
      // Two "nodes" that are one broker reached at two loopback addresses.
      const second = TEST_AMQP_URL.replace('127.0.0.1', '127.0.0.2');
      const sut = ns.connection({
        url: `${TEST_AMQP_URL},${second}`,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      });
      const reached: string[] = [];
      sut.on('connected', (info) => reached.push(new URL(info.url).hostname));
      await sut.start();
      const reconnected = new Promise<void>((resolve) => sut.once('connected', () => resolve()));

      await forceCloseConnections(ns.management, ns.id);
      await reconnected;

      expect(reached).to.deep.equal(['127.0.0.1', '127.0.0.2']);
    });
  });

  describe('initTopology', () => {
    it('should declare every work, retry and dead-letter queue as quorum when the topology says quorum', async () => {
      const sut = ns.connection();
      await sut.start();

      await declare(sut, ns.topology);

      const names = ns.topology.agentTopology('web-1').queues.map((queue) => queue.name);
      expect(await Promise.all(names.map(queueType))).to.deep.equal(names.map(() => 'quorum'));
    });

    it('should bring a retried message back to the work queue through a quorum TTL queue', async () => {
      const sut = ns.connection();
      await sut.start();
      await declare(sut, ns.topology);
      const raw = await RawAmqp.open();
      try {
        const queue = ns.topology.agentQueue('web-1');
        const [retryKey] = ns.topology.routeOf(queue).retryRoutingKeys;

        await raw.publish(ns.topology.retryExchange, retryKey, Buffer.from('again'));

        const [message] = await raw.take(queue, 1);
        expect(message?.content.toString()).to.equal('again');
      } finally {
        await raw.close();
      }
    });

    it('should name the queue and the differing argument when a classic queue is declared again as quorum', async () => {
      const sut = ns.connection();
      await sut.start();
      const classic = new FlotillaTopology({ namespace: ns.id, queueType: 'classic' });
      await declare(sut, classic);

      const error = await caughtError(declare(sut, ns.topology));

      expect(error).to.be.instanceOf(AmqpError);
      expect((error as AmqpError).code).to.equal('AMQP_QUEUE_INEQUIVALENT');
      expect((error as AmqpError).queue).to.equal(`${ns.id}.flotilla.agent.web-1`);
      expect((error as AmqpError).message)
        .to.contain(`queue ${ns.id}.flotilla.agent.web-1 exists with other arguments`)
        .and.contain('quorum declaration')
        .and.contain('existing none');
    });
  });
});
