import {
  AmqpPublisher,
  SecureConsumer,
  SecurePublisher,
  declareTopologyOnConnect,
  type AmqpConnection,
} from '@flotilla/messaging';
import {
  DeliveryCollector,
  TEST_AGENT_REPORT_V1,
  type BrokerNamespace,
  type SecureWorld,
} from '../../libs/messaging/testing';

/** How long one publish may wait for a node to take over (reconnection and leader election). */
const PUBLISH_TIMEOUT_MS = 120_000;
/** Publishes in flight at once. */
const PUBLISH_LANES = 4;

/**
 * A stream of signed agent reports from an "agent" connection to a "DM" consumer of the DM inbox,
 * over whatever broker the namespace lives on, counting how often each sequence number was
 * handled (a replayed or redelivered copy is refused by the replay cache, never handled).
 */
export class EnvelopeStream {
  /** How many times each sequence number was handled. */
  readonly handled = new Map<number, number>();
  /** Each sequence number once, as first handled. */
  readonly done = new DeliveryCollector<number>();
  consumer: SecureConsumer | undefined;

  constructor(
    private readonly ns: BrokerNamespace,
    private readonly world: SecureWorld,
  ) {}

  /** Declares the DM topology on every (re)connection of `dm` and consumes the inbox. */
  async consumeWith(dm: AmqpConnection): Promise<void> {
    await declareTopologyOnConnect(dm, this.ns.id, this.ns.topology.dmTopology());
    await dm.start();
    this.consumer = new SecureConsumer({
      connection: dm,
      publisher: new AmqpPublisher(dm, { publishTimeoutMs: PUBLISH_TIMEOUT_MS }),
      route: this.ns.topology.routeOf(this.ns.topology.dmInboxQueue),
      opener: this.world.dmOpener(),
    });
    this.consumer.handle(TEST_AGENT_REPORT_V1.type, (envelope) => {
      const { sequence } = envelope.payload as { sequence: number };
      const times = (this.handled.get(sequence) ?? 0) + 1;
      this.handled.set(sequence, times);
      if (times === 1) {
        this.done.add(sequence);
      }
    });
    await this.consumer.start();
  }

  /** Publishes `count` reports with confirms through `agent`, calling `onConfirmed` after each. */
  async publish(
    agent: AmqpConnection,
    count: number,
    onConfirmed: (confirmed: number) => void,
  ): Promise<void> {
    const sender = new SecurePublisher(
      this.world.sealerFor(this.world.agent),
      new AmqpPublisher(agent, { publishTimeoutMs: PUBLISH_TIMEOUT_MS }),
    );
    const destination = {
      exchange: this.ns.topology.dmExchange,
      routingKey: this.ns.topology.agentToDmRoutingKey('web-1', 'report'),
    };
    let next = 0;
    let confirmed = 0;
    const lane = async (): Promise<void> => {
      for (let sequence = next++; sequence < count; sequence = next++) {
        await sender.send(destination, {
          type: TEST_AGENT_REPORT_V1.type,
          recipient: this.world.dm.thumbprint,
          payload: { sequence, note: 'cluster' },
        });
        onConfirmed(++confirmed);
      }
    };
    await Promise.all(Array.from({ length: PUBLISH_LANES }, lane));
  }
}
