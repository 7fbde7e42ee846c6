import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  AmqpConnection,
  AmqpPublisher,
  EnvelopeOpener,
  EnvelopeSealer,
  FlotillaTopology,
  initTopology,
  RabbitManagementClient,
  SecureConsumer,
  SecurePublisher,
  type AmqpLogger,
  type EnvelopeDestination,
  type SealInput,
  type EnvelopeHandler,
  type Identity,
  type TrustRecord,
  type TrustStore,
} from '@flotilla/messaging';
import { createFlotillaRegistry } from '@flotilla/protocol';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG } from '../../dm.constants';
import { managementOptionsOf } from './broker-settings';
import { DM_CERTIFICATE_HEADER, DM_CONSUMER_PREFETCH, DM_IDENTITY } from './messaging.constants';
import { PgReplayCache } from './pg-replay-cache';
import { PgTrustStore } from './pg-trust-store';

/**
 * The DM's side of the broker: one connection, a confirm publisher of signed envelopes, the DM's
 * topology (declared again after every reconnection), and two secure consumers: the inbox (agents'
 * reports, checked against each agent's broker user) and the enrollment queue. Feature modules
 * register their handlers in `onModuleInit`. Every replica connects once the application has
 * booted (its API publishes too); only the leading replica consumes (a leader duty: see
 * LeadershipService), so that one process handles agents' reports.
 */
@Injectable()
export class DmBroker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly topology: FlotillaTopology;
  readonly management: RabbitManagementClient;
  readonly publisher: SecurePublisher;
  private readonly logger = new Logger(DmBroker.name);
  private readonly connection: AmqpConnection;
  private readonly inbox: SecureConsumer;
  private readonly enroll: SecureConsumer;
  private connected?: Promise<void>;
  private isConsumingWanted = false;
  private isConsuming = false;
  private consumers: Promise<void> = Promise.resolve();

  constructor(
    @Inject(DM_CONFIG) config: DmConfig,
    @Inject(DM_IDENTITY) readonly identity: Identity,
    trustStore: PgTrustStore,
    replayCache: PgReplayCache,
  ) {
    const amqpLogger = toAmqpLogger(this.logger);
    const registry = createFlotillaRegistry();
    this.topology = new FlotillaTopology({
      namespace: config.amqpNamespace,
      queueType: config.amqpQueueType,
    });
    this.management = new RabbitManagementClient(managementOptionsOf(config));
    this.connection = new AmqpConnection({
      url: config.amqpUrl,
      name: 'flotilla-dm',
      logger: amqpLogger,
    });
    const amqpPublisher = new AmqpPublisher(this.connection, { logger: amqpLogger });
    this.publisher = new SecurePublisher(
      new EnvelopeSealer(identity, { policy: registry }),
      amqpPublisher,
    );
    const consumer = (queue: string, store: TrustStore) =>
      new SecureConsumer({
        connection: this.connection,
        publisher: amqpPublisher,
        route: this.topology.routeOf(queue),
        opener: new EnvelopeOpener(identity, store, replayCache, registry),
        prefetch: DM_CONSUMER_PREFETCH,
        logger: amqpLogger,
      });
    this.inbox = consumer(this.topology.dmInboxQueue, trustStore);
    // Enrolling agents publish with the shared enrollment user, not with their own broker user.
    this.enroll = consumer(this.topology.dmEnrollQueue, withoutBrokerUser(trustStore));
  }

  /** Refused deliveries so far, by queue then reason code (for the metrics). */
  rejections(): Record<string, Record<string, number>> {
    return {
      [this.topology.dmInboxQueue]: this.inbox.rejections.snapshot(),
      [this.topology.dmEnrollQueue]: this.enroll.rejections.snapshot(),
    };
  }

  /** Registers the handler of one message type arriving in the DM's inbox. */
  handleInbox(type: string, handler: EnvelopeHandler): void {
    this.inbox.handle(type, handler);
  }

  /** Registers the handler of one message type arriving in the enrollment queue. */
  handleEnrollment(type: string, handler: EnvelopeHandler): void {
    this.enroll.handle(type, handler);
  }

  /**
   * Seals and publishes one message carrying the DM's certificate (DER, base64) in the
   * `x-flotilla-dm-certificate` header: an enrolling agent pins only the thumbprint and learns
   * the certificate from the answer once its thumbprint matches the pin.
   */
  async sendWithCertificate(destination: EnvelopeDestination, input: SealInput): Promise<void> {
    await this.publisher.send(destination, input, {
      [DM_CERTIFICATE_HEADER]: this.identity.certificateDer.toString('base64'),
    });
  }

  /** Declares an accepted agent's command queue (and its retry and dead-letter queues). */
  async declareAgentQueue(agentName: string): Promise<void> {
    const model = await this.connection.waitForConnection(DECLARE_TIMEOUT_MS);
    const channel = await model.createChannel();
    try {
      await initTopology(channel, this.topology.agentTopology(agentName));
    } finally {
      await channel.close();
    }
  }

  /**
   * Connects in the background so that the API serves even while the broker is unreachable;
   * resolves once connected and, on the leading replica, consuming its queues (tests and the demo
   * wait for it).
   */
  whenReady(): Promise<void> {
    if (this.connected === undefined) {
      return Promise.reject(new Error('the DM broker was not started'));
    }
    return this.connected.then(() => this.consumers);
  }

  onApplicationBootstrap(): void {
    this.connect().catch((error: unknown) => {
      this.logger.error({ err: error }, 'The DM could not connect to the broker');
    });
  }

  /** Consumes the inbox and the enrollment queue once connected (this replica was elected). */
  startLeading(): void {
    this.isConsumingWanted = true;
    this.connect().then(
      () => this.applyConsuming(),
      () => undefined, // logged by onApplicationBootstrap
    );
  }

  /** Stops consuming (this replica stepped down): unacknowledged deliveries go back to the queue. */
  async stopLeading(): Promise<void> {
    this.isConsumingWanted = false;
    await this.applyConsuming();
  }

  private connect(): Promise<void> {
    this.connected ??= (async () => {
      await this.connection.addSetupHook('dm-topology', async (model) => {
        const channel = await model.createChannel();
        try {
          await initTopology(channel, this.topology.dmTopology());
        } finally {
          await channel.close();
        }
      });
      await this.connection.start();
    })();
    return this.connected;
  }

  /** Starts or stops both consumers to match the wish, one change at a time. */
  private applyConsuming(): Promise<void> {
    const change = this.consumers.then(async () => {
      if (this.isConsumingWanted && !this.isConsuming) {
        this.isConsuming = true;
        await this.inbox.start();
        await this.enroll.start();
        this.logger.log(
          `Consuming ${this.topology.dmInboxQueue} and ${this.topology.dmEnrollQueue}`,
        );
      } else if (!this.isConsumingWanted && this.isConsuming) {
        this.isConsuming = false;
        await this.inbox.stop();
        await this.enroll.stop();
        this.logger.log(`Stopped consuming ${this.topology.dmInboxQueue}`);
      }
    });
    this.consumers = change.catch((error: unknown) => {
      this.logger.error({ err: error }, 'The DM could not change its consumers');
    });
    return this.consumers;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopLeading();
    await this.connection.close();
  }
}

/** How long declaring an agent's queue waits for the broker. */
const DECLARE_TIMEOUT_MS = 30_000;

function withoutBrokerUser(store: TrustStore): TrustStore {
  return Object.assign(Object.create(store) as TrustStore, {
    get: async (thumbprint: string): Promise<TrustRecord | undefined> => {
      const record = await store.get(thumbprint);
      if (record === undefined) {
        return undefined;
      }
      const { brokerUser: _brokerUser, ...rest } = record;
      return rest;
    },
  });
}

function toAmqpLogger(logger: Logger): AmqpLogger {
  return {
    debug: (message, context) => logger.debug({ ...context }, message),
    info: (message, context) => logger.log({ ...context }, message),
    warn: (message, context) => logger.warn({ ...context }, message),
    error: (message, context) => logger.error({ ...context }, message),
  };
}
