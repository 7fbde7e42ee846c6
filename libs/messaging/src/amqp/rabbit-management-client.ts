import { AmqpError } from './amqp.errors';
import { toLoggableUrl } from './loggable-url';

/** How to reach the RabbitMQ management HTTP API, as a user tagged `administrator`. */
export interface RabbitManagementOptions {
  /** For example http://127.0.0.1:15672 */
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
}

/** The three regex permissions of a broker user on a vhost (RabbitMQ's `set_permissions`). */
export interface VhostPermissions {
  readonly configure: string;
  readonly write: string;
  readonly read: string;
}

/** The routing-key patterns a user may publish (write) and bind (read) on one topic exchange. */
export interface TopicPermissions {
  readonly exchange: string;
  readonly write: string;
  readonly read: string;
}

/** A broker user with its password and exactly its permissions on the client's vhost. */
export interface BrokerUserDefinition {
  readonly username: string;
  readonly password: string;
  readonly permissions: VhostPermissions;
  readonly topicPermissions: readonly TopicPermissions[];
}

/** One open client connection as the management API lists it. */
export interface BrokerConnectionInfo {
  readonly name: string;
  readonly user: string;
  readonly vhost: string;
  /** The client's `connection_name` property, if it gave one. */
  readonly userProvidedName?: string;
}

interface ListedConnection {
  readonly name: string;
  readonly user: string;
  readonly vhost: string;
  readonly user_provided_name?: string;
}

/** A minimal client of the RabbitMQ management HTTP API (users, permissions, connections, vhosts). */
export class RabbitManagementClient {
  private readonly authorization: string;

  constructor(private readonly options: RabbitManagementOptions) {
    const token = Buffer.from(`${options.username}:${options.password}`).toString('base64');
    this.authorization = `Basic ${token}`;
  }

  /** The vhost this client manages. */
  get vhost(): string {
    return this.options.vhost;
  }

  /** Creates or updates a broker user (password and tags). */
  async putUser(username: string, password: string, tags: readonly string[] = []): Promise<void> {
    await this.request('PUT', `/api/users/${enc(username)}`, { password, tags: tags.join(',') });
  }

  /** Deletes a broker user (and with it all its permissions); a missing user is not an error. */
  async deleteUser(username: string): Promise<void> {
    await this.request('DELETE', `/api/users/${enc(username)}`, undefined, [404]);
  }

  /** Sets a user's configure/write/read permissions on this vhost. */
  async setPermissions(username: string, permissions: VhostPermissions): Promise<void> {
    await this.request('PUT', `/api/permissions/${enc(this.vhost)}/${enc(username)}`, permissions);
  }

  /** Sets a user's topic permissions on one topic exchange of this vhost. */
  async setTopicPermissions(username: string, permissions: TopicPermissions): Promise<void> {
    await this.request(
      'PUT',
      `/api/topic-permissions/${enc(this.vhost)}/${enc(username)}`,
      permissions,
    );
  }

  /**
   * Creates or updates many users (password, no tags) with their permissions and topic permissions
   * on this vhost in one call (`POST /api/definitions`): the broker applies it as the same steps as
   * the one-by-one calls, without one HTTP request and authentication per step.
   */
  async importUsers(users: readonly BrokerUserDefinition[]): Promise<void> {
    const vhost = this.vhost;
    await this.request('POST', '/api/definitions', {
      users: users.map((user) => ({ name: user.username, password: user.password, tags: '' })),
      permissions: users.map((user) => ({ user: user.username, vhost, ...user.permissions })),
      topic_permissions: users.flatMap((user) =>
        user.topicPermissions.map((topic) => ({ user: user.username, vhost, ...topic })),
      ),
    });
  }

  /** Lists the open client connections of this vhost (the management API lags new ones by a few seconds). */
  async listConnections(): Promise<BrokerConnectionInfo[]> {
    const path = `/api/vhosts/${enc(this.vhost)}/connections`;
    const all = (await this.request('GET', path)) as ListedConnection[];
    return all.map((listed) => ({
      name: listed.name,
      user: listed.user,
      vhost: listed.vhost,
      userProvidedName: listed.user_provided_name,
    }));
  }

  /** Force-closes every connection of `username` on this vhost; returns how many were closed. */
  async closeConnectionsOf(username: string, reason: string): Promise<number> {
    const mine = (await this.listConnections()).filter(
      (connection) => connection.user === username,
    );
    for (const connection of mine) {
      await this.closeConnection(connection.name, reason);
    }
    return mine.length;
  }

  /** Force-closes one connection by its management name; an already closed one is not an error. */
  async closeConnection(name: string, reason: string): Promise<void> {
    await this.request('DELETE', `/api/connections/${enc(name)}`, undefined, [404], {
      'X-Reason': reason,
    });
  }

  /**
   * Sends one request and returns the parsed JSON answer (undefined when empty).
   * @throws AmqpError AMQP_MANAGEMENT_API naming the method, path and status when the API refuses.
   */
  async request(
    method: string,
    path: string,
    body?: unknown,
    toleratedStatuses: readonly number[] = [],
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const url = new URL(path, this.options.baseUrl);
    const response = await fetch(url, {
      method,
      headers: {
        authorization: this.authorization,
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: unknown) => {
      throw new AmqpError(
        'AMQP_MANAGEMENT_API',
        `${method} ${toLoggableUrl(url.toString())} failed`,
        { cause: error },
      );
    });
    const text = await response.text();
    if (!response.ok && !toleratedStatuses.includes(response.status)) {
      throw new AmqpError(
        'AMQP_MANAGEMENT_API',
        `${method} ${path} answered ${response.status} ${response.statusText}: ${text.slice(0, 500)}`,
      );
    }
    return text === '' || !response.ok ? undefined : (JSON.parse(text) as unknown);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
