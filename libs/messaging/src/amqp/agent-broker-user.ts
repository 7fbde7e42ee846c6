import type { FlotillaTopology } from './flotilla-topology';
import type {
  RabbitManagementClient,
  TopicPermissions,
  VhostPermissions,
} from './rabbit-management-client';

/** What the DM needs to provision one accepted agent's broker user. */
export interface AgentBrokerUserRequest {
  readonly agentName: string;
  readonly password: string;
  /** Defaults to `flotilla-agent-<agentName>`. */
  readonly username?: string;
}

/** The broker user of one agent and the exact permissions it was given. */
export interface AgentBrokerUser {
  readonly username: string;
  readonly permissions: VhostPermissions;
  readonly topicPermissions: readonly TopicPermissions[];
}

/** Nothing: the regex that matches no resource name. */
const NOTHING = '^$';

/** The regex that matches exactly `literal`. */
export function exactPattern(literal: string): string {
  return `^${escapeRegex(literal)}$`;
}

/** `literal` with every regex metacharacter escaped. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * The permissions of an agent's broker user: it declares nothing; it reads only its own command
 * queue; it writes only to the DM, retry and dead-letter exchanges, and there (topic permissions)
 * only under its own routing keys. A stolen agent credential cannot reach another agent's queue.
 */
export function agentBrokerPermissions(
  topology: FlotillaTopology,
  agentName: string,
): Omit<AgentBrokerUser, 'username'> {
  const queue = topology.agentQueue(agentName);
  const writable = [topology.dmExchange, topology.retryExchange, topology.deadExchange];
  return {
    permissions: {
      configure: NOTHING,
      write: `^(${writable.map(escapeRegex).join('|')})$`,
      read: exactPattern(queue),
    },
    topicPermissions: [
      {
        exchange: topology.dmExchange,
        write: `^agent\\.${escapeRegex(agentName)}\\..+$`,
        read: NOTHING,
      },
      {
        exchange: topology.retryExchange,
        write: `^${escapeRegex(queue)}\\.retry\\.[0-9]+$`,
        read: NOTHING,
      },
      { exchange: topology.deadExchange, write: exactPattern(queue), read: NOTHING },
    ],
  };
}

/**
 * Creates (or updates) the broker user of an accepted agent with `agentBrokerPermissions`, through
 * the management API. The DM declares the agent's queues itself (`FlotillaTopology.agentTopology`).
 * @throws AmqpError AMQP_MANAGEMENT_API when the management API refuses it.
 */
export async function provisionAgentBrokerUser(
  management: RabbitManagementClient,
  topology: FlotillaTopology,
  request: AgentBrokerUserRequest,
): Promise<AgentBrokerUser> {
  const [user] = await provisionAgentBrokerUsers(management, topology, [request]);
  return user;
}

/**
 * Creates (or updates) the broker users of many accepted agents, each with its own
 * `agentBrokerPermissions`, in one management API call; answers in the order of `requests`.
 * @throws AmqpError AMQP_MANAGEMENT_API when the management API refuses it.
 */
export async function provisionAgentBrokerUsers(
  management: RabbitManagementClient,
  topology: FlotillaTopology,
  requests: readonly AgentBrokerUserRequest[],
): Promise<AgentBrokerUser[]> {
  const users = requests.map((request) => ({
    username: request.username ?? `flotilla-agent-${request.agentName}`,
    password: request.password,
    ...agentBrokerPermissions(topology, request.agentName),
  }));
  await management.importUsers(users);
  return users.map(({ password: _password, ...user }) => user);
}

/**
 * Creates (or updates) a broker user with exactly the given regex and topic permissions.
 * @throws AmqpError AMQP_MANAGEMENT_API when the management API refuses it.
 */
export async function putBrokerUser(
  management: RabbitManagementClient,
  credentials: { readonly username: string; readonly password: string },
  granted: Omit<AgentBrokerUser, 'username'>,
): Promise<AgentBrokerUser> {
  await management.importUsers([{ ...credentials, ...granted }]);
  return { username: credentials.username, ...granted };
}

/**
 * Deletes an agent's broker user and force-closes its connections still listed (RabbitMQ usually
 * closes them itself on deletion), so that a revoked agent loses the broker at once and cannot
 * reconnect; returns how many connections this call closed.
 * @throws AmqpError AMQP_MANAGEMENT_API when the management API refuses a step.
 */
export async function revokeAgentBrokerUser(
  management: RabbitManagementClient,
  username: string,
): Promise<number> {
  await management.deleteUser(username);
  return management.closeConnectionsOf(username, `broker user ${username} revoked`);
}
