import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import {
  AmqpConsumer,
  AmqpError,
  AmqpPublisher,
  declareTopologyOnConnect,
  mergeTopologies,
  provisionAgentBrokerUser,
  revokeAgentBrokerUser,
  type AmqpConnection,
  type AmqpDelivery,
} from '@flotilla/messaging';
import {
  BrokerNamespace,
  DeliveryCollector,
  RawAmqp,
  caughtError,
  testAmqpUrlFor,
} from '../testing';

const POLL_MS = 250;

describe('agent broker user permissions (real RabbitMQ)', () => {
  let ns: BrokerNamespace;
  let raw: RawAmqp;
  let username: string;
  let password: string;
  let agentConnection: AmqpConnection;
  let agentPublisher: AmqpPublisher;

  beforeEach(async () => {
    ns = new BrokerNamespace();
    raw = await RawAmqp.open();
    const dm = ns.connection();
    const { topology } = ns;
    await declareTopologyOnConnect(
      dm,
      ns.id,
      mergeTopologies([
        topology.dmTopology(),
        topology.agentTopology('web-1'),
        topology.agentTopology('web-2'),
      ]),
    );
    await dm.start();
    password = randomUUID();
    username = ns.userName('agent-web-1');
    await provisionAgentBrokerUser(ns.management, ns.topology, {
      agentName: 'web-1',
      password,
      username,
    });
    agentConnection = ns.connection({
      url: testAmqpUrlFor(username, password),
      reconnect: { maxDelayMs: 200 },
    });
    await agentConnection.start();
    agentPublisher = new AmqpPublisher(agentConnection, { publishTimeoutMs: 5_000 });
  });

  afterEach(async () => {
    await ns.nuke();
    await raw.close();
  });

  function publishAsAgent(exchange: string, routingKey: string): Promise<void> {
    return agentPublisher.publish({
      exchange,
      routingKey,
      body: Buffer.from('{}'),
      messageId: randomUUID(),
    });
  }

  async function refusal(publishing: Promise<void>): Promise<AmqpError> {
    const error = await caughtError(publishing);
    expect(error).to.be.instanceOf(AmqpError);
    return error as AmqpError;
  }

  it('should let the agent publish under its own routing key, stamped with its broker user', async () => {
    await publishAsAgent(
      ns.topology.dmExchange,
      ns.topology.agentToDmRoutingKey('web-1', 'report'),
    );

    const [message] = await raw.take(ns.topology.dmInboxQueue, 1);
    expect(message?.properties.userId).to.equal(username);
  });

  it('should be refused by the broker when the agent publishes a DM command to another agent', async () => {
    const error = await refusal(
      publishAsAgent(
        ns.topology.agentsExchange,
        ns.topology.dmToAgentRoutingKey('web-2', 'deploy'),
      ),
    );

    expect(error.code).to.equal('AMQP_ACCESS_REFUSED');
    expect(error.message).to.contain(ns.topology.agentsExchange);
    expect(await raw.messageCount(ns.topology.agentQueue('web-2'))).to.equal(0);
  });

  it('should be refused by the broker when the agent publishes under another agent routing key', async () => {
    const error = await refusal(
      publishAsAgent(ns.topology.dmExchange, ns.topology.agentToDmRoutingKey('web-2', 'report')),
    );

    expect(error.code).to.equal('AMQP_ACCESS_REFUSED');
    expect(await raw.messageCount(ns.topology.dmInboxQueue)).to.equal(0);
  });

  it('should be refused by the broker when the agent claims another user_id', async () => {
    const agentRaw = await RawAmqp.open(testAmqpUrlFor(username, password));
    try {
      const routingKey = ns.topology.agentToDmRoutingKey('web-1', 'report');
      const publishing = agentRaw.publish(ns.topology.dmExchange, routingKey, Buffer.from('{}'), {
        userId: 'flotilla-dm',
      });

      await publishing.then(
        () => expect.fail('a forged user_id was accepted'),
        (error: unknown) => expect(String(error)).to.match(/closed|PRECONDITION_FAILED/),
      );
    } finally {
      await agentRaw.close();
    }
  });

  it('should deliver the agent its own commands and refuse it another agent queue', async () => {
    const received = new DeliveryCollector<AmqpDelivery>();
    const own = new AmqpConsumer(agentConnection, agentPublisher, {
      route: ns.topology.routeOf(ns.topology.agentQueue('web-1')),
    });
    await own.start((delivery) => received.add(delivery));
    await raw.publish(
      ns.topology.agentsExchange,
      ns.topology.dmToAgentRoutingKey('web-1', 'deploy'),
      Buffer.from('go'),
    );
    expect((await received.waitFor(1))[0]?.body.toString()).to.equal('go');
    await own.stop();

    const agentRaw = await RawAmqp.open(testAmqpUrlFor(username, password));
    try {
      const error = await caughtError(agentRaw.take(ns.topology.agentQueue('web-2'), 1, 5_000));
      expect(String(error)).to.contain('ACCESS_REFUSED');
    } finally {
      await agentRaw.close();
    }
  });

  it('should cut the agent off the broker when its broker user is revoked', async () => {
    while (
      !(await ns.management.listConnections()).some((connection) => connection.user === username)
    ) {
      await delay(POLL_MS);
    }
    const disconnected = new Promise((resolve) => agentConnection.once('disconnected', resolve));

    await revokeAgentBrokerUser(ns.management, username);

    await disconnected;
    const error = await refusal(
      publishAsAgent(ns.topology.dmExchange, ns.topology.agentToDmRoutingKey('web-1', 'x')),
    );
    expect(error.code).to.equal('AMQP_PUBLISH_TIMEOUT');
  });
});
