import { randomBytes } from 'node:crypto';
import { escapeRegex, FlotillaTopology, RabbitManagementClient } from '@flotilla/messaging';
import { DEMO_BROKER_NAMESPACE, DEMO_MANAGEMENT_PORT } from './demo.constants';

/** The demo's slice of the broker: its namespace, the shared enrollment user, and the clean-up. */
export class DemoBroker {
  readonly topology = new FlotillaTopology({ namespace: DEMO_BROKER_NAMESPACE });
  readonly enrollUser = `${DEMO_BROKER_NAMESPACE}-enroll`;
  readonly enrollPassword = randomBytes(18).toString('base64url');
  private readonly management: RabbitManagementClient;

  constructor(private readonly adminUrl: string) {
    const url = new URL(adminUrl);
    this.management = new RabbitManagementClient({
      baseUrl: `http://${url.hostname}:${DEMO_MANAGEMENT_PORT}`,
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      vhost: decodeURIComponent(url.pathname.slice(1)) || '/',
    });
  }

  /** Creates the enrollment user: it may only publish enrollment requests. */
  async createEnrollUser(): Promise<void> {
    await this.management.putUser(this.enrollUser, this.enrollPassword);
    await this.management.setPermissions(this.enrollUser, {
      configure: '^$',
      write: `^${escapeRegex(this.topology.enrollExchange)}$`,
      read: '^$',
    });
  }

  /** The AMQP URL an agent enrolls with, reaching the broker at `host`. */
  enrollUrl(host: string): string {
    const url = new URL(this.adminUrl);
    url.hostname = host;
    url.username = encodeURIComponent(this.enrollUser);
    url.password = encodeURIComponent(this.enrollPassword);
    return url.toString();
  }

  /** Deletes the demo's users, queues and exchanges. */
  async remove(agentNames: readonly string[]): Promise<void> {
    for (const user of [this.enrollUser, ...agentNames.map((name) => `flotilla-agent-${name}`)]) {
      await this.management.deleteUser(user);
    }
    const vhost = encodeURIComponent(this.management.vhost);
    for (const kind of ['queues', 'exchanges'] as const) {
      const listed = (await this.management.request(
        'GET',
        `/api/${kind}/${vhost}?columns=name`,
      )) as {
        name: string;
      }[];
      for (const { name } of listed.filter((item) =>
        item.name.startsWith(`${DEMO_BROKER_NAMESPACE}.`),
      )) {
        await this.management.request(
          'DELETE',
          `/api/${kind}/${vhost}/${encodeURIComponent(name)}`,
          undefined,
          [404],
        );
      }
    }
  }
}
