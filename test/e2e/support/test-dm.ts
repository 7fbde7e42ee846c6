import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, DmBroker, type DmServer } from '@flotilla/dm';
import { Client } from 'pg';
import request from 'supertest';

/** The PostgreSQL server of the test world; each DM under test gets its own database on it. */
const POSTGRES_URL = 'postgres://flotilla:flotilla@127.0.0.1:5432';
const MAINTENANCE_DATABASE = 'flotilla_test';
/** The admin password the DM under test is configured with. */
export const E2E_ADMIN_PASSWORD = 'e2e admin password 1234';

/** A database and data directory for one DM under test, kept across DM restarts. */
export class TestDmHome {
  private constructor(
    readonly dataDir: string,
    readonly databaseUrl: string,
    private readonly databaseName: string,
  ) {}

  /** Creates a fresh PostgreSQL database and data directory. */
  static async create(): Promise<TestDmHome> {
    const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-e2e-dm-'));
    const name = `e2e_${randomBytes(6).toString('hex')}`;
    await maintenance((client) => client.query(`CREATE DATABASE ${name}`));
    return new TestDmHome(dataDir, `${POSTGRES_URL}/${name}`, name);
  }

  /** Starts a DM on this home, consuming the broker under `namespace`; resolves once it consumes. */
  async start(
    amqpUrl: string,
    namespace: string,
    env: Record<string, string> = {},
  ): Promise<DmServer> {
    const server = await bootstrap({
      env: {
        FLOTILLA_HOST: '127.0.0.1',
        FLOTILLA_LOG_LEVEL: 'silent',
        FLOTILLA_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
        FLOTILLA_DATA_DIR: this.dataDir,
        FLOTILLA_DATABASE_URL: this.databaseUrl,
        FLOTILLA_AMQP_URL: amqpUrl,
        FLOTILLA_AMQP_NAMESPACE: namespace,
        ...env,
      },
      listenPort: 0,
      output: { write: () => true },
    });
    await server.app.get(DmBroker).whenReady();
    return server;
  }

  /** Drops the database and removes the data directory. */
  async remove(): Promise<void> {
    await maintenance((client) =>
      client.query(`DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`),
    );
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Logs in as admin and returns a bearer token. */
export async function adminToken(server: DmServer): Promise<string> {
  const response = await request(server.url)
    .post('/api/auth/login')
    .send({ username: 'admin', password: E2E_ADMIN_PASSWORD })
    .expect(200);
  return (response.body as { token: string }).token;
}

async function maintenance(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: `${POSTGRES_URL}/${MAINTENANCE_DATABASE}` });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
