import type { DataSource } from 'typeorm';
import { loggableUrl } from '../config/loggable-url';
import type { DmConfig } from '../config/dm-config';
import { DmError } from '../errors';
import { createDataSource } from './create-data-source';
import { EmbeddedDatabase } from './embedded-database';
import { withMigrationLock } from './migration-lock';

/** Connections to a real PostgreSQL; the DM's requests are short. */
const POSTGRES_POOL_SIZE = 10;
/** PGlite serves one query at a time: see createDataSource. */
const EMBEDDED_POOL_SIZE = 1;

/** A migrated database and how to let go of it. */
export interface OpenDatabase {
  readonly dataSource: DataSource;
  /** `postgresql` or `embedded`, for logs and the health report. */
  readonly kind: 'postgresql' | 'embedded';
  close(): Promise<void>;
}

/**
 * Connects to `databaseUrl`, or starts the embedded database in `<dataDir>/db`, then runs the
 * migrations.
 * @throws DmError DATABASE_UNAVAILABLE naming the (password-masked) URL and the cause.
 */
export async function openDatabase(config: DmConfig): Promise<OpenDatabase> {
  const embedded = config.databaseUrl ? undefined : await EmbeddedDatabase.start(config.dataDir);
  const url = config.databaseUrl ?? embedded!.url;
  const dataSource = createDataSource({
    url,
    poolSize: embedded ? EMBEDDED_POOL_SIZE : POSTGRES_POOL_SIZE,
  });
  try {
    // DM replicas on one PostgreSQL migrate one at a time; the embedded database has one process.
    await (embedded
      ? dataSource.initialize()
      : withMigrationLock(url, () => dataSource.initialize()));
  } catch (error: unknown) {
    await embedded?.stop();
    const where = embedded ? `the embedded database in ${config.dataDir}/db` : loggableUrl(url);
    const reason = error instanceof Error ? error.message : String(error);
    throw new DmError(
      'DATABASE_UNAVAILABLE',
      `Cannot open ${where}: ${reason}`,
      {},
      { cause: error },
    );
  }
  return {
    dataSource,
    kind: embedded ? 'embedded' : 'postgresql',
    async close() {
      if (dataSource.isInitialized) {
        await dataSource.destroy();
      }
      await embedded?.stop();
    },
  };
}
