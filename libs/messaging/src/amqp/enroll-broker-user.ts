import {
  escapeRegex,
  exactPattern,
  putBrokerUser,
  type AgentBrokerUser,
} from './agent-broker-user';
import type { FlotillaTopology } from './flotilla-topology';
import type { RabbitManagementClient } from './rabbit-management-client';

/** Nothing: the regex that matches no resource name. */
const NOTHING = '^$';

/**
 * The permissions of the shared enrolment broker user (rabbitmq/apply.sh grants the same to
 * `flotilla-enroll`): it declares and reads nothing and writes only enrolment requests; the DM's
 * answer reaches it over direct reply-to, which needs no permission.
 */
export function enrollBrokerPermissions(
  topology: FlotillaTopology,
): Omit<AgentBrokerUser, 'username'> {
  return {
    permissions: {
      configure: NOTHING,
      write: exactPattern(topology.enrollExchange),
      read: NOTHING,
    },
    topicPermissions: [
      {
        exchange: topology.enrollExchange,
        write: `^${escapeRegex(topology.enrollRoutingKey)}$`,
        read: NOTHING,
      },
    ],
  };
}

/**
 * Creates (or updates) an enrolment broker user with `enrollBrokerPermissions` through the
 * management API (for namespaced deployments and tests; production uses rabbitmq/apply.sh).
 * @throws AmqpError AMQP_MANAGEMENT_API when the management API refuses a step.
 */
export async function provisionEnrollBrokerUser(
  management: RabbitManagementClient,
  topology: FlotillaTopology,
  credentials: { readonly username: string; readonly password: string },
): Promise<AgentBrokerUser> {
  return putBrokerUser(management, credentials, enrollBrokerPermissions(topology));
}
