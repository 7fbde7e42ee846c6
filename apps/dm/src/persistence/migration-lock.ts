import { Client } from 'pg';

/**
 * The key of the advisory lock held while one DM migrates the database: replicas started at the
 * same time on a fresh database would otherwise run the same migrations concurrently.
 */
const MIGRATION_LOCK_KEY = '7372958304715020339';

/**
 * Runs `work` (opening the DataSource, which runs pending migrations) while holding a
 * session-level advisory lock on its own connection, so that DM replicas migrate one at a time;
 * the others wait, then find nothing left to run.
 * @throws the driver's error when the database cannot be reached, or `work`'s error.
 */
export async function withMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'flotilla-dm-migrations' });
  client.on('error', () => undefined); // a lost session ends the lock; `work` reports its own errors
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    await client.end().catch(() => undefined); // ending the session frees the lock
  }
}
