import { Client } from 'pg';
import {
  LEADERSHIP_APPLICATION_NAME,
  LEADERSHIP_PROBE_TIMEOUT_MS,
  LEADERSHIP_SESSION_IDLE_TIMEOUT_MS,
} from './leadership.constants';

/** Where the lock lives and what to call when a held lock is lost. */
export interface AdvisoryLockSessionOptions {
  /** The PostgreSQL URL of the DM's database. */
  readonly url: string;
  /** The advisory lock key (a bigint, as text). */
  readonly key: string;
}

/**
 * A dedicated PostgreSQL session (outside the pool) that tries to take one session-level advisory
 * lock and holds it for as long as the session lives: PostgreSQL frees it when the session ends,
 * including when the holder's process dies. Any failure discards the session; the next attempt
 * opens a new one.
 */
export class AdvisoryLockSession {
  private client?: Client;
  private isHeld = false;
  private lostListener: (reason: string) => void = () => undefined;

  constructor(private readonly options: AdvisoryLockSessionOptions) {}

  /** Sets what to call at once when the session holding the lock ends or fails. */
  onLost(listener: (reason: string) => void): void {
    this.lostListener = listener;
  }

  /** Whether this session holds the lock (as far as its last answer said). */
  get holds(): boolean {
    return this.isHeld;
  }

  /**
   * Takes the lock if it is free; true when this session holds it now.
   * @throws the driver's error when the database cannot be reached (the session is discarded).
   */
  async tryAcquire(): Promise<boolean> {
    const client = await this.session();
    const result = await this.guarded(() =>
      client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [
        this.options.key,
      ]),
    );
    this.isHeld = result.rows[0]?.acquired === true;
    return this.isHeld;
  }

  /**
   * Checks that the session still holds the lock, within LEADERSHIP_PROBE_TIMEOUT_MS.
   * @throws when the session is gone, slow, or no longer holds the lock (the session is discarded).
   */
  async probe(): Promise<void> {
    const client = this.client;
    if (client === undefined || !this.isHeld) {
      throw new Error('the leadership session does not hold the lock');
    }
    const result = await this.guarded(() =>
      client.query<{ held: boolean }>(
        `SELECT count(*) > 0 AS held FROM pg_locks
         WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
        [this.options.key],
      ),
    );
    if (result.rows[0]?.held !== true) {
      this.discard();
      throw new Error('the leadership session lost its advisory lock');
    }
  }

  /** Ends the session, which frees the lock; never throws. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.isHeld = false;
    await client?.end().catch(() => undefined); // the session is gone either way
  }

  /** Drops the session without waiting (after an error). */
  discard(): void {
    void this.release();
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error: unknown) {
      this.discard();
      throw error;
    }
  }

  private async session(): Promise<Client> {
    if (this.client !== undefined) {
      return this.client;
    }
    const client = new Client({
      connectionString: this.options.url,
      application_name: LEADERSHIP_APPLICATION_NAME,
      connectionTimeoutMillis: LEADERSHIP_PROBE_TIMEOUT_MS,
      query_timeout: LEADERSHIP_PROBE_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('error', (error: Error) => this.lose(client, error.message));
    client.on('end', () => this.lose(client, 'the leadership session ended'));
    this.client = client;
    try {
      await client.connect();
      await client.query(`SET idle_session_timeout = ${LEADERSHIP_SESSION_IDLE_TIMEOUT_MS}`);
    } catch (error: unknown) {
      this.discard();
      throw error;
    }
    return client;
  }

  private lose(client: Client, reason: string): void {
    if (this.client !== client) {
      return; // an old session ending after it was replaced
    }
    const wasHeld = this.isHeld;
    this.discard();
    if (wasHeld) {
      this.lostListener(reason);
    }
  }
}
