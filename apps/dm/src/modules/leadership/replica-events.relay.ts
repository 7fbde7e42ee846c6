import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Client, type Notification } from 'pg';
import type { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG } from '../../dm.constants';
import { CommandDispatcher } from '../deployments/command-dispatcher';
import { DeploymentEvents, type DeploymentEvent } from '../deployments/deployment-events';
import {
  LEADERSHIP_APPLICATION_NAME,
  LEADERSHIP_CHECK_INTERVAL_MS,
  MAX_NOTIFY_PAYLOAD_BYTES,
  REPLICA_EVENTS_CHANNEL,
} from './leadership.constants';
import { packNotifications, type ReplicaEventsPayload } from './notify-payloads';

/**
 * Shares deployment events between DM replicas on one PostgreSQL database: the events this
 * replica publishes go out with NOTIFY (batched per tick, in order), and the other replicas'
 * events, received with LISTEN, are published here, so that `/api/events` and the console of
 * every replica follow every change. A state change made elsewhere also wakes this replica's
 * dispatcher (a no-op unless it leads): an operator's request served by a follower queues
 * commands only the leader sends. Delivery is best effort, like the event stream itself: while
 * the listening session reconnects, other replicas' events are missed (clients re-read state).
 * Off on the embedded database, which has one process.
 */
@Injectable()
export class ReplicaEventsRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReplicaEventsRelay.name);
  private readonly origin = randomUUID();
  /** Events received from other replicas: published here, never sent back out. */
  private readonly received = new WeakSet<DeploymentEvent>();
  private pending: DeploymentEvent[] = [];
  private sending: Promise<void> = Promise.resolve();
  private subscription?: Subscription;
  private listener?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private isClosed = false;

  constructor(
    @Inject(DM_CONFIG) private readonly config: DmConfig,
    private readonly events: DeploymentEvents,
    private readonly dispatcher: CommandDispatcher,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.databaseUrl === undefined) {
      return;
    }
    this.subscription = this.events.stream().subscribe((event) => this.enqueue(event));
    await this.listen().catch((error: unknown) => this.listenLater(error));
  }

  async onModuleDestroy(): Promise<void> {
    this.isClosed = true;
    clearTimeout(this.reconnectTimer);
    this.subscription?.unsubscribe();
    await this.sending;
    await this.listener?.end().catch(() => undefined); // closing: nothing left to hear
  }

  private enqueue(event: DeploymentEvent): void {
    if (this.received.has(event)) {
      return;
    }
    this.pending.push(event);
    if (this.pending.length === 1) {
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.sending = this.sending.then(async () => {
      for (const payload of packNotifications(this.origin, batch, MAX_NOTIFY_PAYLOAD_BYTES)) {
        await this.dataSource
          .query('SELECT pg_notify($1, $2)', [REPLICA_EVENTS_CHANNEL, payload])
          .catch((error: unknown) =>
            this.logger.warn({ err: error }, 'Deployment events not shared with other replicas'),
          );
      }
    });
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: `${LEADERSHIP_APPLICATION_NAME}-events`,
      keepAlive: true,
    });
    client.on('notification', (message) => this.receive(message));
    client.on('error', (error: Error) => this.listenLater(error, client));
    client.on('end', () => this.listenLater('the listening session ended', client));
    this.listener = client;
    await client.connect();
    await client.query(`LISTEN ${REPLICA_EVENTS_CHANNEL}`);
  }

  private listenLater(reason: unknown, client: Client | undefined = this.listener): void {
    if (this.isClosed || client !== this.listener) {
      return; // closing, or an old session ending after it was replaced
    }
    this.listener = undefined;
    void client?.end().catch(() => undefined); // replaced below; its errors are moot
    this.logger.warn({ reason: String(reason) }, 'Not hearing other replicas; listening again');
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.listen().catch((error: unknown) => this.listenLater(error));
    }, LEADERSHIP_CHECK_INTERVAL_MS);
    this.reconnectTimer.unref();
  }

  private receive(message: Notification): void {
    if (message.channel !== REPLICA_EVENTS_CHANNEL || message.payload === undefined) {
      return;
    }
    let payload: ReplicaEventsPayload;
    try {
      payload = JSON.parse(message.payload) as ReplicaEventsPayload;
    } catch (error: unknown) {
      this.logger.warn({ err: error }, `Unreadable notification on ${REPLICA_EVENTS_CHANNEL}`);
      return;
    }
    if (payload.origin === this.origin) {
      return;
    }
    for (const event of payload.events) {
      this.received.add(event);
      this.events.publish(event);
    }
    if (payload.events.some((event) => event.type === 'instance.state')) {
      this.dispatcher.trigger();
    }
  }
}
