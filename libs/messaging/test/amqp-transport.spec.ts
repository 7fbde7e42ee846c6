import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  AmqpConsumer,
  AmqpError,
  AmqpPublisher,
  DeadLetterError,
  REASON_CODE_HEADER,
  REASON_HEADER,
  RETRY_COUNT_HEADER,
  declareTopologyOnConnect,
  type AmqpConnection,
  type AmqpDelivery,
  type DeliveryHandler,
} from '@flotilla/messaging';
import {
  BrokerNamespace,
  DeliveryCollector,
  RawAmqp,
  TEST_RETRY_DELAYS_MS,
  TEST_VHOST,
  caughtError,
  forceCloseConnections,
} from '../testing';

describe('AMQP transport (real RabbitMQ)', () => {
  let ns: BrokerNamespace;
  let raw: RawAmqp;
  let connection: AmqpConnection;
  let publisher: AmqpPublisher;

  beforeEach(async () => {
    ns = new BrokerNamespace();
    raw = await RawAmqp.open();
    connection = ns.connection({ reconnect: { initialDelayMs: 20, maxDelayMs: 200 } });
    await declareTopologyOnConnect(connection, ns.id, ns.topology.dmTopology());
    await connection.start();
    publisher = new AmqpPublisher(connection, { publishTimeoutMs: 10_000 });
  });

  afterEach(async () => {
    await ns.nuke();
    await raw.close();
  });

  function consume(handler: DeliveryHandler): AmqpConsumer {
    const sut = new AmqpConsumer(connection, publisher, {
      route: ns.topology.routeOf(ns.topology.dmInboxQueue),
    });
    void sut.start(handler);
    return sut;
  }

  function publishToInbox(body: string, messageId = randomUUID()): Promise<void> {
    return publisher.publish({
      exchange: ns.topology.dmExchange,
      routingKey: ns.topology.agentToDmRoutingKey('web-1', 'hello'),
      body: Buffer.from(body),
      messageId,
      type: 'test.v1',
    });
  }

  describe('publish', () => {
    it('should deliver the exact bytes, persistent and stamped with the broker user, when routable', async () => {
      const collector = new DeliveryCollector<AmqpDelivery>();
      const sut = consume((delivery) => collector.add(delivery));

      await publishToInbox('{"hello":1}', '00000000-0000-4000-8000-000000000001');

      const [delivery] = await collector.waitFor(1);
      expect(delivery?.body.toString()).to.equal('{"hello":1}');
      expect(delivery?.properties.messageId).to.equal('00000000-0000-4000-8000-000000000001');
      expect(delivery?.properties.deliveryMode).to.equal(2);
      expect(delivery?.properties.userId).to.equal('flotilla-admin');
      await sut.stop();
      expect(await raw.messageCount(ns.topology.dmInboxQueue)).to.equal(0);
    });

    it('should reject naming the exchange and routing key when no queue is bound', async () => {
      const error = await caughtError(
        publisher.publish({
          exchange: ns.topology.dmExchange,
          routingKey: 'nobody.listens',
          body: Buffer.from('x'),
          messageId: 'lost-1',
        }),
      );

      expect(error).to.be.instanceOf(AmqpError);
      expect((error as AmqpError).code).to.equal('AMQP_UNROUTABLE');
      expect((error as AmqpError).message)
        .to.contain(ns.topology.dmExchange)
        .and.contain('nobody.listens');
    });

    it('should be confirmed after a reconnection when the connection was force-closed just before', async () => {
      const collector = new DeliveryCollector<AmqpDelivery>();
      consume((delivery) => collector.add(delivery));
      const disconnected = new Promise((resolve) => connection.once('disconnected', resolve));

      await forceCloseConnections(ns.management, ns.id);
      await disconnected;
      await publishToInbox('after-reconnect');

      const [delivery] = await collector.waitFor(1);
      expect(delivery?.body.toString()).to.equal('after-reconnect');
    });
  });

  describe('waitForConnection', () => {
    it('should fail with AMQP_NOT_CONNECTED and report errors when the broker cannot be reached', async () => {
      const sut = ns.connection({
        url: 'amqp://nobody:nothing@127.0.0.1:1/flotilla',
        reconnect: { maxDelayMs: 50 },
      });
      const errors = new DeliveryCollector<Error>();
      sut.on('error', (error) => errors.add(error));

      const error = await caughtError(sut.waitForConnection(300));

      expect(error).to.be.instanceOf(AmqpError);
      expect((error as AmqpError).code).to.equal('AMQP_NOT_CONNECTED');
      expect((error as AmqpError).message).to.contain('amqp://nobody:***@127.0.0.1:1/flotilla');
      expect((await errors.waitFor(1))[0]?.message).to.contain('ECONNREFUSED');
      await sut.close();
    });
  });

  describe('consume', () => {
    it('should retry a failing handler once per retry queue, then dead-letter it with the reason', async () => {
      const attempts = new DeliveryCollector<number>();
      consume((delivery) => {
        attempts.add(delivery.retryCount);
        throw new Error('database unavailable');
      });

      await publishToInbox('poison', '00000000-0000-4000-8000-000000000002');

      expect(await attempts.waitFor(TEST_RETRY_DELAYS_MS.length + 1)).to.deep.equal([0, 1, 2, 3]);
      const [dead] = await raw.take(`${ns.topology.dmInboxQueue}.dead`, 1);
      expect(dead?.content.toString()).to.equal('poison');
      expect(dead?.properties.messageId).to.equal('00000000-0000-4000-8000-000000000002');
      expect(dead?.properties.headers?.[REASON_CODE_HEADER]).to.equal('RETRIES_EXHAUSTED');
      expect(String(dead?.properties.headers?.[REASON_HEADER])).to.contain('database unavailable');
      expect(dead?.properties.headers?.[RETRY_COUNT_HEADER]).to.equal(TEST_RETRY_DELAYS_MS.length);
    });

    it('should handle a message again after one failure and ack it when the retry succeeds', async () => {
      const handled = new DeliveryCollector<number>();
      consume((delivery) => {
        if (delivery.retryCount === 0) {
          throw new Error('transient');
        }
        handled.add(delivery.retryCount);
      });

      await publishToInbox('flaky');

      expect(await handled.waitFor(1)).to.deep.equal([1]);
      expect(await raw.messageCount(`${ns.topology.dmInboxQueue}.dead`)).to.equal(0);
    });

    it('should dead-letter at once without retrying when the handler throws DeadLetterError', async () => {
      const attempts = new DeliveryCollector<number>();
      consume((delivery) => {
        attempts.add(delivery.retryCount);
        throw new DeadLetterError('SIGNATURE_INVALID', 'signature does not verify');
      });

      await publishToInbox('forged');

      const [dead] = await raw.take(`${ns.topology.dmInboxQueue}.dead`, 1);
      expect(dead?.properties.headers?.[REASON_CODE_HEADER]).to.equal('SIGNATURE_INVALID');
      expect(attempts.items).to.deep.equal([0]);
    });

    it('should consume again when its queue was deleted and declared anew', async () => {
      const collector = new DeliveryCollector<string>();
      consume((delivery) => collector.add(delivery.body.toString()));
      await publishToInbox('before');
      await collector.waitFor(1);
      const inbox = ns.topology.dmInboxQueue;

      await ns.management.request(
        'DELETE',
        `/api/queues/${TEST_VHOST}/${encodeURIComponent(inbox)}`,
      );
      await declareTopologyOnConnect(connection, `${ns.id}-again`, ns.topology.dmTopology());
      await publishToInbox('after');

      expect(await collector.waitFor(2)).to.deep.equal(['before', 'after']);
    });

    it('should fail with AMQP_BROKER_REFUSED naming the exchange when it does not exist', async () => {
      const error = await caughtError(
        publisher.publish({
          exchange: `${ns.id}.missing`,
          routingKey: 'x',
          body: Buffer.from('x'),
          messageId: 'm-404',
        }),
      );

      expect((error as AmqpError).code).to.equal('AMQP_BROKER_REFUSED');
      expect((error as AmqpError).message).to.contain(`${ns.id}.missing`);
    });

    it('should resubscribe after the broker force-closed its connection', async () => {
      const collector = new DeliveryCollector<string>();
      consume((delivery) => collector.add(delivery.body.toString()));
      await publishToInbox('before');
      await collector.waitFor(1);
      const reconnected = new Promise((resolve) => connection.once('connected', resolve));

      await forceCloseConnections(ns.management, ns.id);
      await reconnected;
      await raw.publish(
        ns.topology.dmExchange,
        ns.topology.agentToDmRoutingKey('web-1', 'x'),
        Buffer.from('after'),
      );

      expect(await collector.waitFor(2)).to.deep.equal(['before', 'after']);
    });
  });
});
