import { expect } from 'chai';
import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import {
  AmqpPublisher,
  SecureConsumer,
  SecurePublisher,
  declareTopologyOnConnect,
} from '@flotilla/messaging';
import { FlotillaRpcContext, FlotillaTransportStrategy } from '@flotilla/messaging/nest';
import { BrokerNamespace, DeliveryCollector, SecureWorld, TEST_AGENT_REPORT_V1 } from '../testing';

const RECEIVED = Symbol('RECEIVED');

/** What the test controller saw: payload note, sender name and retry count. */
interface Seen {
  readonly note: string;
  readonly sender: string;
  readonly retryCount: number;
}

@Controller()
class ReportsController {
  constructor(@Inject(RECEIVED) private readonly received: DeliveryCollector<Seen>) {}

  @EventPattern(TEST_AGENT_REPORT_V1.type)
  onReport(@Payload() payload: { note: string }, @Ctx() context: FlotillaRpcContext): void {
    const retryCount = context.getDelivery().retryCount;
    if (payload.note === 'fail-once' && retryCount === 0) {
      throw new Error('first attempt fails');
    }
    this.received.add({
      note: payload.note,
      sender: context.getEnvelope().sender.name,
      retryCount,
    });
  }
}

describe(FlotillaTransportStrategy.name, () => {
  let ns: BrokerNamespace;
  let world: SecureWorld;
  let app: INestMicroservice;
  let received: DeliveryCollector<Seen>;
  let send: (note: string) => Promise<unknown>;

  beforeEach(async () => {
    ns = new BrokerNamespace();
    world = await SecureWorld.create('flotilla-admin');
    const connection = ns.connection();
    await declareTopologyOnConnect(connection, ns.id, ns.topology.dmTopology());
    await connection.start();
    const publisher = new AmqpPublisher(connection);
    const consumer = new SecureConsumer({
      connection,
      publisher,
      route: ns.topology.routeOf(ns.topology.dmInboxQueue),
      opener: world.dmOpener(),
    });
    received = new DeliveryCollector<Seen>();
    @Module({
      controllers: [ReportsController],
      providers: [{ provide: RECEIVED, useValue: received }],
    })
    class ReportsModule {}
    app = await NestFactory.createMicroservice(ReportsModule, {
      strategy: new FlotillaTransportStrategy(consumer),
      logger: false,
    });
    await app.listen();
    const sender = new SecurePublisher(world.sealerFor(world.agent), publisher);
    const destination = {
      exchange: ns.topology.dmExchange,
      routingKey: ns.topology.agentToDmRoutingKey('web-1', 'report'),
    };
    send = (note) =>
      sender.send(destination, {
        type: TEST_AGENT_REPORT_V1.type,
        recipient: world.dm.thumbprint,
        payload: { sequence: 1, note },
      });
  });

  afterEach(async () => {
    await app.close();
    await ns.nuke();
    await world.cleanup();
  });

  it('should dispatch a verified envelope to the @EventPattern handler of its type', async () => {
    await send('disk ok');

    expect(await received.waitFor(1)).to.deep.equal([
      { note: 'disk ok', sender: 'web-1', retryCount: 0 },
    ]);
  });

  it('should retry the message when the Nest handler throws', async () => {
    await send('fail-once');

    expect(await received.waitFor(1)).to.deep.equal([
      { note: 'fail-once', sender: 'web-1', retryCount: 1 },
    ]);
  });
});
