import { expect } from 'chai';
import {
  AmqpPublisher,
  DUPLICATE_REDELIVERY,
  REASON_CODE_HEADER,
  SecureConsumer,
  SecurePublisher,
  declareTopologyOnConnect,
  type AmqpConnection,
} from '@flotilla/messaging';
import {
  BrokerNamespace,
  DeliveryCollector,
  RawAmqp,
  SecureWorld,
  TEST_AGENT_REPORT_V1,
  startBrokerApp,
  stopBrokerApp,
} from '../testing';

const MESSAGE_COUNT = 1_000;
const RESTART_AFTER_CONFIRMED = 100;
const PUBLISH_WINDOW = 4;
const RECONNECT = { initialDelayMs: 100, maxDelayMs: 1_000 };

describe('broker restart in the middle of a stream (real RabbitMQ, rabbitmqctl stop_app/start_app)', function () {
  this.timeout(240_000);
  let ns: BrokerNamespace;
  let world: SecureWorld;

  beforeEach(async () => {
    ns = new BrokerNamespace();
    world = await SecureWorld.create('flotilla-admin');
  });

  afterEach(async () => {
    // Whatever happened, the broker must be running again for everyone else.
    await startBrokerApp();
    await ns.nuke();
    await world.cleanup();
  });

  async function startDm(
    handled: Map<number, number>,
    done: DeliveryCollector<number>,
  ): Promise<SecureConsumer> {
    const dm = ns.connection({ name: `${ns.id}-dm`, reconnect: RECONNECT });
    await declareTopologyOnConnect(dm, ns.id, ns.topology.dmTopology());
    await dm.start();
    const consumer = new SecureConsumer({
      connection: dm,
      publisher: new AmqpPublisher(dm, { publishTimeoutMs: 120_000 }),
      route: ns.topology.routeOf(ns.topology.dmInboxQueue),
      opener: world.dmOpener(),
    });
    consumer.handle(TEST_AGENT_REPORT_V1.type, (envelope) => {
      const { sequence } = envelope.payload as { sequence: number };
      const times = (handled.get(sequence) ?? 0) + 1;
      handled.set(sequence, times);
      if (times === 1) {
        done.add(sequence);
      }
    });
    await consumer.start();
    return consumer;
  }

  async function publishStream(
    agent: AmqpConnection,
    onConfirmed: (count: number) => void,
  ): Promise<void> {
    const sender = new SecurePublisher(
      world.sealerFor(world.agent),
      new AmqpPublisher(agent, { publishTimeoutMs: 120_000 }),
    );
    const destination = {
      exchange: ns.topology.dmExchange,
      routingKey: ns.topology.agentToDmRoutingKey('web-1', 'report'),
    };
    let next = 0;
    let confirmed = 0;
    const lane = async (): Promise<void> => {
      while (next < MESSAGE_COUNT) {
        const sequence = next++;
        await sender.send(destination, {
          type: TEST_AGENT_REPORT_V1.type,
          recipient: world.dm.thumbprint,
          payload: { sequence, note: 'x'.repeat(200) },
        });
        onConfirmed(++confirmed);
      }
    };
    await Promise.all(Array.from({ length: PUBLISH_WINDOW }, lane));
  }

  it('should handle each of 1,000 confirmed messages exactly once across stop_app/start_app', async () => {
    const handled = new Map<number, number>();
    const done = new DeliveryCollector<number>();
    const consumer = await startDm(handled, done);
    const agent = ns.connection({ name: `${ns.id}-agent`, reconnect: RECONNECT });
    await agent.start();
    let restart: Promise<void> | undefined;
    let confirmedAtDisconnect: number | undefined;
    let confirmed = 0;
    agent.once('disconnected', () => (confirmedAtDisconnect = confirmed));

    await publishStream(agent, (count) => {
      confirmed = count;
      if (count === RESTART_AFTER_CONFIRMED) {
        restart = stopBrokerApp().then(startBrokerApp);
      }
    });
    await restart;
    expect(confirmedAtDisconnect, 'the broker stopped in the middle of the stream').to.be.within(
      RESTART_AFTER_CONFIRMED,
      MESSAGE_COUNT - 1,
    );
    await done.waitFor(MESSAGE_COUNT, 120_000);
    await consumer.stop();

    expect(done.items).to.have.length(MESSAGE_COUNT);
    expect([...handled.values()].every((times) => times === 1)).to.equal(true);
    const raw = await RawAmqp.open();
    try {
      const deadCount = await raw.messageCount(`${ns.topology.dmInboxQueue}.dead`);
      const dead =
        deadCount === 0 ? [] : await raw.take(`${ns.topology.dmInboxQueue}.dead`, deadCount);
      // A publish whose confirm was lost in the restart is published again with the same id: that
      // copy is refused as a replay, never handled twice.
      const reasons = dead.map((message) =>
        String(message.properties.headers?.[REASON_CODE_HEADER]),
      );
      expect(reasons.filter((code) => code !== 'REPLAYED')).to.deep.equal([]);
      console.log(
        `      restart after ${confirmedAtDisconnect} confirmed: ${deadCount} re-published duplicates refused, ${consumer.rejections.count(DUPLICATE_REDELIVERY)} redeliveries acked`,
      );
    } finally {
      await raw.close();
    }
  });
});
