import { expect } from 'chai';
import type { ConsumeMessage } from 'amqplib';
import {
  AmqpPublisher,
  REASON_CODE_HEADER,
  SecureConsumer,
  SecurePublisher,
  declareTopologyOnConnect,
  type AmqpConnection,
  type OpenedEnvelope,
  type SealedEnvelope,
} from '@flotilla/messaging';
import {
  BrokerNamespace,
  DeliveryCollector,
  RawAmqp,
  SecureWorld,
  TEST_AGENT_REPORT_V1,
  tamperEnvelope,
  type SecureWorldIdentity,
} from '../testing';

const BROKER_USER = 'flotilla-admin';
const HOUR_MS = 3_600_000;

describe(SecureConsumer.name, () => {
  let ns: BrokerNamespace;
  let raw: RawAmqp;
  let world: SecureWorld;
  let connection: AmqpConnection;
  let publisher: AmqpPublisher;
  let handled: DeliveryCollector<OpenedEnvelope>;
  let sut: SecureConsumer;

  beforeEach(async () => {
    ns = new BrokerNamespace();
    raw = await RawAmqp.open();
    world = await SecureWorld.create(BROKER_USER);
    connection = ns.connection();
    await declareTopologyOnConnect(connection, ns.id, ns.topology.dmTopology());
    await connection.start();
    publisher = new AmqpPublisher(connection);
    handled = new DeliveryCollector<OpenedEnvelope>();
    sut = new SecureConsumer({
      connection,
      publisher,
      route: ns.topology.routeOf(ns.topology.dmInboxQueue),
      opener: world.dmOpener(),
    });
  });

  afterEach(async () => {
    await sut.stop();
    await ns.nuke();
    await raw.close();
    await world.cleanup();
  });

  async function startHandlingReports(): Promise<void> {
    sut.handle(TEST_AGENT_REPORT_V1.type, (envelope) => handled.add(envelope));
    await sut.start();
  }

  function seal(
    sender: SecureWorldIdentity = world.agent,
    sequence = 1,
    nowMs = Date.now(),
  ): SealedEnvelope {
    return world.sealerFor(sender, { now: () => nowMs }).seal({
      type: TEST_AGENT_REPORT_V1.type,
      recipient: world.dm.thumbprint,
      payload: { sequence, note: 'disk ok' },
    });
  }

  function publishRaw(
    body: Buffer,
    messageId: string,
    userId: string | null = BROKER_USER,
  ): Promise<void> {
    const routingKey = ns.topology.agentToDmRoutingKey('web-1', 'report');
    return raw.publish(ns.topology.dmExchange, routingKey, body, {
      messageId,
      ...(userId ? { userId } : {}),
    });
  }

  async function expectDeadLettered(code: string): Promise<ConsumeMessage> {
    const [dead] = await raw.take(`${ns.topology.dmInboxQueue}.dead`, 1);
    expect(dead?.properties.headers?.[REASON_CODE_HEADER]).to.equal(code);
    expect(sut.rejections.count(code)).to.equal(1);
    expect(handled.items).to.have.length(0);
    return dead;
  }

  it('should hand a verified envelope to its handler and ack it when sent through SecurePublisher', async () => {
    await startHandlingReports();
    const sealed = await new SecurePublisher(world.sealerFor(world.agent), publisher).send(
      {
        exchange: ns.topology.dmExchange,
        routingKey: ns.topology.agentToDmRoutingKey('web-1', 'report'),
      },
      {
        type: TEST_AGENT_REPORT_V1.type,
        recipient: world.dm.thumbprint,
        payload: { sequence: 7, note: 'hi' },
      },
    );

    const [envelope] = await handled.waitFor(1);
    expect(envelope?.messageId).to.equal(sealed.messageId);
    expect(envelope?.payload).to.deep.equal({ sequence: 7, note: 'hi' });
    expect(envelope?.sender.name).to.equal('web-1');
    expect(sut.rejections.total).to.equal(0);
  });

  it('should dead-letter SIGNATURE_INVALID when the payload was tampered with', async () => {
    await startHandlingReports();
    const sealed = seal();
    const forged = tamperEnvelope(sealed.body, (wire) => {
      wire.payload = Buffer.from(JSON.stringify({ sequence: 1, note: 'rm -rf /' })).toString(
        'base64url',
      );
    });

    await publishRaw(forged, sealed.messageId);

    const dead = await expectDeadLettered('SIGNATURE_INVALID');
    expect(dead.content.equals(forged)).to.equal(true);
  });

  it('should dead-letter SIGNATURE_INVALID when the protected header was tampered with', async () => {
    await startHandlingReports();
    const sealed = seal();

    await publishRaw(
      tamperEnvelope(sealed.body, (_, header) => (header.exp = Number(header.exp) + HOUR_MS)),
      sealed.messageId,
    );

    await expectDeadLettered('SIGNATURE_INVALID');
  });

  it('should dead-letter SIGNATURE_INVALID when another key signed for a trusted thumbprint', async () => {
    await startHandlingReports();
    const sealed = seal(world.intruder);
    const forged = tamperEnvelope(sealed.body, (_, header) => {
      header.kid = world.agent.thumbprint;
      header.iss = world.agent.name;
    });

    await publishRaw(forged, sealed.messageId);

    await expectDeadLettered('SIGNATURE_INVALID');
  });

  it('should dead-letter SENDER_UNKNOWN when the thumbprint is not on record', async () => {
    await startHandlingReports();
    const sealed = seal(world.intruder);

    await publishRaw(sealed.body, sealed.messageId);

    await expectDeadLettered('SENDER_UNKNOWN');
  });

  it('should dead-letter SENDER_REVOKED when the thumbprint was revoked', async () => {
    await startHandlingReports();
    const sealed = seal(world.revokedAgent);

    await publishRaw(sealed.body, sealed.messageId);

    await expectDeadLettered('SENDER_REVOKED');
  });

  it('should dead-letter EXPIRED when the envelope expired long ago', async () => {
    await startHandlingReports();
    const sealed = seal(world.agent, 1, Date.now() - HOUR_MS);

    await publishRaw(sealed.body, sealed.messageId);

    await expectDeadLettered('EXPIRED');
  });

  it('should handle a genuine message once and dead-letter REPLAYED when a captured copy is sent again', async () => {
    await startHandlingReports();
    const sealed = seal();
    await publishRaw(sealed.body, sealed.messageId);
    await handled.waitFor(1);

    await publishRaw(sealed.body, sealed.messageId);

    const [dead] = await raw.take(`${ns.topology.dmInboxQueue}.dead`, 1);
    expect(dead?.properties.headers?.[REASON_CODE_HEADER]).to.equal('REPLAYED');
    expect(handled.items).to.have.length(1);
  });

  it('should dead-letter ENVELOPE_MALFORMED when the body is not JSON', async () => {
    await startHandlingReports();

    await publishRaw(Buffer.from('{"protected": nope'), 'malformed-1');

    await expectDeadLettered('ENVELOPE_MALFORMED');
  });

  it('should dead-letter ENVELOPE_TOO_LARGE when the body exceeds the limit', async () => {
    await startHandlingReports();

    await publishRaw(Buffer.alloc(1024 * 1024 + 1, 0x20), 'oversized-1');

    await expectDeadLettered('ENVELOPE_TOO_LARGE');
  });

  it('should dead-letter BROKER_USER_MISMATCH when the broker did not vouch for the expected user', async () => {
    await startHandlingReports();
    const sealed = seal();

    await publishRaw(sealed.body, sealed.messageId, null);

    await expectDeadLettered('BROKER_USER_MISMATCH');
  });

  it('should dead-letter NO_HANDLER when a verified type has no handler here', async () => {
    await sut.start();
    const sealed = seal();

    await publishRaw(sealed.body, sealed.messageId);

    await expectDeadLettered('NO_HANDLER');
  });

  it('should retry a failed handler with the original broker user and remember the id only after success', async () => {
    const attempts: number[] = [];
    sut.handle(TEST_AGENT_REPORT_V1.type, (envelope, delivery) => {
      attempts.push(delivery.retryCount);
      if (delivery.retryCount === 0) {
        throw new Error('database busy');
      }
      handled.add(envelope);
    });
    await sut.start();
    const sealed = seal();

    await publishRaw(sealed.body, sealed.messageId);

    await handled.waitFor(1);
    expect(attempts).to.deep.equal([0, 1]);
    expect(sut.rejections.total).to.equal(0);
    expect(await world.replayCache.has(world.agent.thumbprint, sealed.messageId)).to.equal(true);
  });
});
