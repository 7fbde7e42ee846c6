import { join } from 'node:path';
import { DM_IDENTITY, type DmServer } from '@flotilla/dm';
import { escapeRegex, type Identity } from '@flotilla/messaging';
import type { BrokerNamespace } from '../../../libs/messaging/testing';
import type { TestNetwork } from '../../support/netns';
import type { DmClient } from './dm-client';

/** The password of the enrollment broker user the e2e worlds create. */
export const E2E_ENROLL_PASSWORD = 'e2e-enroll-secret';

/**
 * Creates the broker user agents enroll with (it may only publish enrollment requests) and
 * returns its name; `broker.nuke()` deletes it.
 */
export async function createEnrollmentUser(
  broker: BrokerNamespace,
  password: string = E2E_ENROLL_PASSWORD,
): Promise<string> {
  const { management, topology } = broker;
  const user = broker.userName('enroll');
  await management.putUser(user, password);
  await management.setPermissions(user, {
    configure: '^$',
    write: `^${escapeRegex(topology.enrollExchange)}$`,
    read: '^$',
  });
  return user;
}

/**
 * Accepts the agent once its enrollment request made it pending (read through the API); fails
 * after `timeoutMs` with `logs()` (the agents' output) in the message.
 */
export async function acceptWhenPending(
  client: DmClient,
  name: string,
  logs: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.api('get', `/agents/${name}`);
    if (response.status === 200 && (response.body as { state: string }).state === 'pending') {
      await client.api('post', `/agents/${name}/accept`).expect(200);
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`agent ${name} never enrolled within ${timeoutMs} ms\n${logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What an e2e agent needs to reach and obey the DM under test. */
export interface E2eAgentLink {
  readonly name: string;
  readonly broker: BrokerNamespace;
  /** The DM's thumbprint (64 hex). */
  readonly dmThumbprint: string;
  /** The test network's gateway: where the agent reaches the broker. */
  readonly gateway: string;
  readonly dataDir: string;
}

/** The link of agent `name` of a world: its DM, the gateway of its network, a directory of its own. */
export function agentLinkOf(
  name: string,
  world: { broker: BrokerNamespace; server: DmServer; network: TestNetwork; directory: string },
): E2eAgentLink {
  return {
    name,
    broker: world.broker,
    dmThumbprint: world.server.app.get<Identity>(DM_IDENTITY).thumbprint,
    gateway: world.network.gatewayAddress,
    dataDir: join(world.directory, name),
  };
}

/** The `FLOTILLA_*` variables every e2e agent starts with (enrollment user, 1 s heartbeats). */
export function agentVariables(link: E2eAgentLink): Record<string, string> {
  const enrollUser = link.broker.userName('enroll');
  return {
    FLOTILLA_AGENT_NAME: link.name,
    FLOTILLA_AMQP_URL: link.broker.amqpUrlFor(link.gateway, enrollUser, E2E_ENROLL_PASSWORD),
    FLOTILLA_BROKER_NAMESPACE: link.broker.id,
    FLOTILLA_DM_THUMBPRINT: link.dmThumbprint,
    FLOTILLA_DATA_DIR: link.dataDir,
    FLOTILLA_HEARTBEAT_INTERVAL_MS: '1000',
    FLOTILLA_LOG_LEVEL: 'debug',
  };
}
