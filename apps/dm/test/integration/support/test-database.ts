import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** The PostgreSQL server the test command starts; each test file gets its own database on it. */
export const TEST_POSTGRES_URL = 'postgres://flotilla:flotilla@127.0.0.1:5432';
const MAINTENANCE_DATABASE = 'flotilla_test';

/** The two storage back ends every API test runs on. */
export const DATABASE_KINDS = ['postgresql', 'embedded'] as const;
/** One storage back end. */
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** A fresh database (a new PostgreSQL database, or a new data directory) and its clean-up. */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly dataDir: string;
  /** The `FLOTILLA_*` variables that point a DM at it. */
  readonly env: Readonly<Record<string, string>>;
  /** For PostgreSQL, the database URL (the embedded one is reached through the DM only). */
  readonly databaseUrl?: string;
  drop(): Promise<void>;
}

async function withMaintenanceClient(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: `${TEST_POSTGRES_URL}/${MAINTENANCE_DATABASE}` });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database of the given kind, with a random name or directory. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-dm-test-'));
  if (kind === 'embedded') {
    return {
      kind,
      dataDir,
      env: { FLOTILLA_DATA_DIR: dataDir },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `dm_test_${randomBytes(6).toString('hex')}`;
  await withMaintenanceClient((client) => client.query(`CREATE DATABASE ${name}`));
  const databaseUrl = `${TEST_POSTGRES_URL}/${name}`;
  return {
    kind,
    dataDir,
    databaseUrl,
    env: { FLOTILLA_DATA_DIR: dataDir, FLOTILLA_DATABASE_URL: databaseUrl },
    async drop() {
      await withMaintenanceClient((client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
