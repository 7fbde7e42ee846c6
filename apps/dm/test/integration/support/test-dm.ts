import { bootstrap, type DmServer } from '@flotilla/dm';
import request from 'supertest';
import type { TestDatabase } from './test-database';

/** The admin password the tests configure, unless a test checks the generated one. */
export const TEST_ADMIN_PASSWORD = 'correct horse battery staple';

/** A DM started for a test, and what it printed. */
export interface TestDm {
  readonly server: DmServer;
  readonly output: string[];
}

/** Starts a DM on the database, on a free loopback port, with quiet logs. */
export async function startTestDm(
  database: TestDatabase,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<TestDm> {
  const output: string[] = [];
  const server = await bootstrap({
    env: {
      FLOTILLA_HOST: '127.0.0.1',
      FLOTILLA_LOG_LEVEL: 'silent',
      FLOTILLA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      FLOTILLA_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      ...database.env,
      ...env,
    },
    listenPort: 0,
    output: { write: (text: string) => output.push(text) },
  });
  return { server, output };
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
