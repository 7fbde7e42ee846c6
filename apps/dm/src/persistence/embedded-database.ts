import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** The loopback address the embedded database listens on: nothing else may reach it. */
const EMBEDDED_HOST = '127.0.0.1';
/** Let the kernel choose a free port, so that several DMs (and tests) can run side by side. */
const ANY_FREE_PORT = 0;

/**
 * PostgreSQL compiled to WASM (PGlite), stored in `<dataDir>/db` and served on a loopback port
 * so that the ordinary `pg` driver, and therefore TypeORM's postgres driver, can use it.
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    /** A postgres:// URL for the pg driver. */
    readonly url: string,
  ) {}

  /** Opens (or creates) the database in `<dataDir>/db` and starts serving it. */
  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    const directory = join(dataDir, 'db');
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const db = await PGlite.create(directory);
    const server = new PGLiteSocketServer({ db, host: EMBEDDED_HOST, port: ANY_FREE_PORT });
    try {
      await server.start();
    } catch (error: unknown) {
      await db.close();
      throw error;
    }
    const [, port] = server.getServerConn().split(':');
    return new EmbeddedDatabase(
      db,
      server,
      `postgres://postgres@${EMBEDDED_HOST}:${port}/postgres`,
    );
  }

  /** Stops serving, then closes the database files. */
  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
