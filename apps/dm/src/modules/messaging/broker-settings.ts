import {
  splitBrokerUrls,
  withBrokerCredentials,
  type RabbitManagementOptions,
} from '@flotilla/messaging';
import type { DmConfig } from '../../config/dm-config';
import { DEFAULT_MANAGEMENT_PORT } from './messaging.constants';

/** RabbitMQ's vhost when the AMQP URL names none. */
const DEFAULT_VHOST = '/';

/**
 * The management API settings implied by the DM's configuration: the configured URL (or the first
 * AMQP node's host on port 15672) with the AMQP URL's user, password and vhost.
 */
export function managementOptionsOf(config: DmConfig): RabbitManagementOptions {
  const [first] = splitBrokerUrls(config.amqpUrl);
  const amqp = new URL(first);
  const vhostPath = decodeURIComponent(amqp.pathname.replace(/^\//, ''));
  return {
    baseUrl:
      config.amqpManagementUrl ?? `http://${amqp.hostname}:${String(DEFAULT_MANAGEMENT_PORT)}`,
    username: decodeURIComponent(amqp.username),
    password: decodeURIComponent(amqp.password),
    vhost: vhostPath === '' ? DEFAULT_VHOST : vhostPath,
  };
}

/** The AMQP URL (list) an agent connects with: the DM's broker nodes with the agent's own user. */
export function agentAmqpUrlOf(config: DmConfig, username: string, password: string): string {
  return withBrokerCredentials(config.amqpUrl, username, password);
}
