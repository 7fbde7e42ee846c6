import { bootstrap, type DmServer } from '@flotilla/dm';
import request from 'supertest';
import { BrokerNamespace, TEST_AMQP_URL } from '../../../../../libs/messaging/testing';
import type { TestDatabase } from './test-database';

/** The admin password the tests configure, unless a test checks the generated one. */
export const TEST_ADMIN_PASSWORD = 'correct horse battery staple';

/** A DM started for a test, and what it printed. */
export interface TestDm {
  /** Its `close()` also removes the queues and exchanges of the DM's private broker namespace. */
  readonly server: DmServer;
  readonly output: string[];
  /** The DM's private slice of the test broker (vhost `flotilla`). */
  readonly broker: BrokerNamespace;
}

/**
 * Starts a DM on the database, on a free loopback port, with quiet logs, connected to the test
 * broker (vhost `flotilla`) under a namespace of its own that `server.close()` removes.
 */
export async function startTestDm(
  database: TestDatabase,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<TestDm> {
  const output: string[] = [];
  const broker = new BrokerNamespace();
  const server = await bootstrap({
    env: {
      FLOTILLA_HOST: '127.0.0.1',
      FLOTILLA_LOG_LEVEL: 'silent',
      FLOTILLA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      FLOTILLA_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      FLOTILLA_AMQP_URL: TEST_AMQP_URL,
      FLOTILLA_AMQP_NAMESPACE: broker.id,
      ...database.env,
      ...env,
    },
    listenPort: 0,
    output: { write: (text: string) => output.push(text) },
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= server.close().then(() => broker.nuke());
    return closing;
  };
  return { server: { ...server, close }, output, broker };
}

/** Logs in as admin and returns the bearer token. */
export async function loginAsAdmin(
  server: DmServer,
  password: string = TEST_ADMIN_PASSWORD,
): Promise<string> {
  const response = await request(server.url)
    .post('/api/auth/login')
    .send({ username: 'admin', password })
    .expect(200);
  return (response.body as { token: string }).token;
}
