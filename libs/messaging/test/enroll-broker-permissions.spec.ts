import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { expect } from 'chai';
import {
  AmqpError,
  AmqpPublisher,
  declareTopologyOnConnect,
  provisionEnrollBrokerUser,
  type AmqpConnection,
} from '@flotilla/messaging';
import { BrokerNamespace, RawAmqp, caughtError, testAmqpUrlFor } from '../testing';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

describe('enrolment broker user permissions (real RabbitMQ)', () => {
  let ns: BrokerNamespace;
  let raw: RawAmqp;
  let url: string;
  let enrolling: AmqpConnection;
  let publisher: AmqpPublisher;

  beforeEach(async () => {
    ns = new BrokerNamespace();
    raw = await RawAmqp.open();
    const dm = ns.connection();
    await declareTopologyOnConnect(dm, ns.id, ns.topology.dmTopology());
    await dm.start();
    const credentials = { username: ns.userName('enroll'), password: randomUUID() };
    await provisionEnrollBrokerUser(ns.management, ns.topology, credentials);
    url = testAmqpUrlFor(credentials.username, credentials.password);
    enrolling = ns.connection({ url });
    await enrolling.start();
    publisher = new AmqpPublisher(enrolling, { publishTimeoutMs: 5_000 });
  });

  afterEach(async () => {
    await ns.nuke();
    await raw.close();
  });

  function publish(exchange: string, routingKey: string): Promise<void> {
    return publisher.publish({
      exchange,
      routingKey,
      body: Buffer.from('{}'),
      messageId: randomUUID(),
    });
  }

  async function expectRefused(publishing: Promise<void>): Promise<void> {
    const error = await caughtError(publishing);
    expect(error).to.be.instanceOf(AmqpError);
    expect((error as AmqpError).code).to.equal('AMQP_ACCESS_REFUSED');
  }

  it('should let the enrolling agent publish an enrolment request', async () => {
    await publish(ns.topology.enrollExchange, ns.topology.enrollRoutingKey);

    expect(await raw.messageCount(ns.topology.dmEnrollQueue)).to.equal(1);
  });

  it('should be refused by the broker when it publishes to the DM inbox or under another key', async () => {
    await expectRefused(
      publish(ns.topology.dmExchange, ns.topology.agentToDmRoutingKey('web-1', 'report')),
    );
    await expectRefused(publish(ns.topology.enrollExchange, 'enroll.other'));
    await expectRefused(
      publish(ns.topology.agentsExchange, ns.topology.dmToAgentRoutingKey('web-1', 'run')),
    );
  });

  it('should receive the answer over direct reply-to and be refused any queue of its own', async () => {
    const model = await amqp.connect(url);
    model.on('error', () => undefined);
    try {
      const channel = await model.createChannel();
      const answer = new Promise<string>((resolve) => {
        void channel.consume(
          DIRECT_REPLY_TO,
          (message) => resolve(message?.content.toString() ?? ''),
          { noAck: true },
        );
      });
      channel.publish(
        ns.topology.enrollExchange,
        ns.topology.enrollRoutingKey,
        Buffer.from('request'),
        {
          replyTo: DIRECT_REPLY_TO,
        },
      );
      const [request] = await raw.take(ns.topology.dmEnrollQueue, 1);
      await raw.publish('', String(request?.properties.replyTo), Buffer.from('accepted'));
      expect(await answer).to.equal('accepted');

      const declaring = await model.createChannel();
      declaring.on('error', () => undefined);
      const error = await caughtError(declaring.assertQueue(`${ns.id}.flotilla.enroll.mine`));
      expect(String(error)).to.contain('ACCESS_REFUSED');
    } finally {
      await model.close().catch(() => undefined);
    }
  });
});
