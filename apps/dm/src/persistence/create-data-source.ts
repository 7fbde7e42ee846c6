import { DataSource } from 'typeorm';
import { DM_ENTITIES } from './entities';
import { DM_MIGRATIONS } from './migrations';

/** Options for the DM's DataSource. */
export interface DmDataSourceOptions {
  readonly url: string;
  /**
   * PGlite runs one query at a time; a single pooled connection keeps TypeORM's transactions from
   * interleaving on the socket server (stack.md). PostgreSQL gets a normal pool.
   */
  readonly poolSize: number;
}

/** Builds (without connecting) the DataSource over the DM's entities and migrations. */
export function createDataSource(options: DmDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: DM_ENTITIES,
    migrations: DM_MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
    extra: { max: options.poolSize },
  });
}
