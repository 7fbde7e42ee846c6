import type { RabbitManagementOptions } from '@flotilla/messaging';

/** The local test broker's vhost (applied by rabbitmq/apply.sh). */
export const TEST_VHOST = 'flotilla';

/** The local test broker as its administrator (local-only credentials, see rabbitmq/apply.sh). */
export const TEST_AMQP_URL = `amqp://flotilla-admin:flotilla-admin@127.0.0.1:5672/${TEST_VHOST}`;

/** The local management API as its administrator. */
export const TEST_MANAGEMENT: RabbitManagementOptions = Object.freeze({
  baseUrl: 'http://127.0.0.1:15672',
  username: 'flotilla-admin',
  password: 'flotilla-admin',
  vhost: TEST_VHOST,
});

/** The AMQP URL of the local test broker for another user. */
export function testAmqpUrlFor(username: string, password: string): string {
  return `amqp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:5672/${TEST_VHOST}`;
}
