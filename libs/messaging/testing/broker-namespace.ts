import { randomUUID } from 'node:crypto';
import {
  AmqpConnection,
  FlotillaTopology,
  RabbitManagementClient,
  type AmqpConnectionOptions,
  splitBrokerUrls,
  withBrokerCredentials,
  type QueueType,
  type RabbitManagementOptions,
} from '@flotilla/messaging';
import { TEST_AMQP_URL, TEST_MANAGEMENT } from './test-broker';

/** Short retry delays so that tests see retries quickly (they never assert timings). */
export const TEST_RETRY_DELAYS_MS: readonly number[] = [20, 40, 80];

/** Which broker a `BrokerNamespace` lives on (the local test broker unless told otherwise). */
export interface BrokerNamespaceOptions {
  /** One AMQP URL or a comma-separated list of cluster node URLs, as the administrator. */
  readonly amqpUrl?: string;
  readonly management?: RabbitManagementOptions;
  readonly queueType?: QueueType;
}

/**
 * One test's private slice of the broker: a uuid namespace for every exchange and queue, the
 * connections and users the test created, and `nuke()` that removes all of it.
 */
export class BrokerNamespace {
  readonly id = `t-${randomUUID()}`;
  readonly topology: FlotillaTopology;
  readonly management: RabbitManagementClient;
  /** The broker's AMQP URL, or the comma-separated URLs of its nodes, as the administrator. */
  readonly amqpUrl: string;
  private readonly connections: AmqpConnection[] = [];
  private readonly users: string[] = [];

  constructor(options: BrokerNamespaceOptions = {}) {
    this.amqpUrl = options.amqpUrl ?? TEST_AMQP_URL;
    this.management = new RabbitManagementClient(options.management ?? TEST_MANAGEMENT);
    this.topology = new FlotillaTopology({
      namespace: this.id,
      retryDelaysMs: TEST_RETRY_DELAYS_MS,
      queueType: options.queueType,
    });
  }

  /** A new (not yet started) connection, closed by `nuke()`. */
  connection(options: Partial<AmqpConnectionOptions> = {}): AmqpConnection {
    const connection = new AmqpConnection({ url: this.amqpUrl, name: this.id, ...options });
    this.connections.push(connection);
    return connection;
  }

  /**
   * The broker's node URLs for `username`, reached at `host` (an agent in a test network reaches
   * the broker through the network's gateway).
   */
  amqpUrlFor(host: string, username: string, password: string): string {
    return splitBrokerUrls(withBrokerCredentials(this.amqpUrl, username, password))
      .map((node) => {
        const url = new URL(node);
        url.hostname = host;
        return url.toString();
      })
      .join(',');
  }

  /** A broker user name private to this test, deleted by `nuke()`. */
  userName(role: string): string {
    const name = `${this.id}-${role}`;
    this.users.push(name);
    return name;
  }

  /** Closes every connection, deletes every user, queue and exchange of this namespace. */
  async nuke(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.close()));
    for (const user of this.users) {
      await this.management.deleteUser(user);
    }
    await this.deleteAll('queues');
    await this.deleteAll('exchanges');
  }

  private async deleteAll(kind: 'queues' | 'exchanges'): Promise<void> {
    const vhost = encodeURIComponent(this.management.vhost);
    const listed = (await this.management.request('GET', `/api/${kind}/${vhost}?columns=name`)) as {
      name: string;
    }[];
    for (const { name } of listed.filter((item) => item.name.startsWith(`${this.id}.`))) {
      await this.management.request(
        'DELETE',
        `/api/${kind}/${vhost}/${encodeURIComponent(name)}`,
        undefined,
        [404],
      );
    }
  }
}
