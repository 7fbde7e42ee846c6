import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/persistence/create-data-source';
import { EmbeddedDatabase } from '../../src/persistence/embedded-database';
import { DM_MIGRATIONS } from '../../src/persistence/migrations';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database';

/** The tables of the first migration; later migrations add their own. */
const FIRST_TABLES = [
  'agents',
  'applications',
  'audit_log',
  'auth_tokens',
  'commands',
  'enrollment_token_uses',
  'instances',
  'operators',
  'replay_cache',
  'templates',
];

for (const kind of DATABASE_KINDS) {
  describe(`DM migrations on ${kind}`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let embedded: EmbeddedDatabase | undefined;
    let sut: DataSource;

    before(async () => {
      database = await createTestDatabase(kind);
      embedded = kind === 'embedded' ? await EmbeddedDatabase.start(database.dataDir) : undefined;
      sut = createDataSource({ url: database.databaseUrl ?? embedded!.url, poolSize: 1 });
      await sut.initialize(); // runs the migrations (migrationsRun)
    });

    after(async () => {
      if (sut?.isInitialized) {
        await sut.destroy();
      }
      await embedded?.stop();
      await database?.drop();
    });

    it('should create every table when the database is empty', async () => {
      const rows = await sut.query<Array<{ table_name: string }>>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(rows.map((row) => row.table_name)).to.include.members([...FIRST_TABLES, 'migrations']);
    });

    it('should leave nothing for the entities to change when the migrations have run', async () => {
      const pending = await sut.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).to.deep.equal([]);
    });

    it('should find no pending migration when they already ran', async () => {
      expect(await sut.showMigrations()).to.equal(false);
    });

    it('should undo every migration and redo them when asked', async () => {
      for (const _migration of DM_MIGRATIONS) {
        await sut.undoLastMigration();
      }
      const left = await sut.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(left[0].n).to.equal(1); // only TypeORM's own migrations table
      await sut.runMigrations();
      expect(await sut.showMigrations()).to.equal(false);
    });
  });
}
