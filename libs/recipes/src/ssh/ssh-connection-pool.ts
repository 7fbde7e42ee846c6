import type { Client } from 'ssh2';
import { NOOP_RECIPE_LOGGER, type RecipeLogger } from '../recipes.logger';
import { connectSsh, type SshConnectOptions } from './ssh-connector';
import { DEFAULT_SSH_IDLE_CLOSE_MS } from './ssh.constants';
import { formatSshTarget, type SshTarget } from './ssh-target';

/** Options of an `SshConnectionPool`; defaults in ssh.constants.ts. */
export interface SshConnectionPoolOptions extends SshConnectOptions {
  /** An unused connection is closed after this long. */
  readonly idleCloseMs?: number;
  readonly logger?: RecipeLogger;
}

interface PooledConnection {
  readonly ready: Promise<Client>;
  leases: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * The proxy's SSH connections: at most one per target (`user@host:port` and pinned host key) at a time, shared by
 * every step and firewall change on that target through multiplexed channels, closed when idle
 * and dropped as soon as it breaks (the next use reconnects).
 */
export class SshConnectionPool {
  private readonly connections = new Map<string, PooledConnection>();
  private readonly logger: RecipeLogger;

  constructor(private readonly options: SshConnectionPoolOptions = {}) {
    this.logger = options.logger ?? NOOP_RECIPE_LOGGER;
  }

  /** How many targets currently have a connection (open or opening). */
  get size(): number {
    return this.connections.size;
  }

  /**
   * Runs `work` with the target's connection, opening it first when there is none.
   * @throws SshError from `connectSsh` when the connection cannot be opened.
   */
  async use<T>(target: SshTarget, work: (client: Client) => Promise<T>): Promise<T> {
    // The pinned key is part of the identity: a target re-declared with another fingerprint must
    // connect (and be checked) again instead of riding on a connection checked against the old one.
    const key = `${formatSshTarget(target)} ${target.hostKeyFingerprint}`;
    const pooled = this.connections.get(key) ?? this.open(key, target);
    pooled.leases += 1;
    clearTimeout(pooled.idleTimer);
    try {
      return await work(await pooled.ready);
    } finally {
      pooled.leases -= 1;
      if (pooled.leases === 0 && this.connections.get(key) === pooled) {
        pooled.idleTimer = setTimeout(() => void this.drop(key, pooled), this.idleCloseMs());
        pooled.idleTimer.unref();
      }
    }
  }

  /** Closes every connection (at proxy shutdown). */
  async close(): Promise<void> {
    const all = [...this.connections.entries()];
    await Promise.all(all.map(([key, pooled]) => this.drop(key, pooled)));
  }

  private open(key: string, target: SshTarget): PooledConnection {
    const ready = connectSsh(target, this.options);
    const pooled: PooledConnection = { ready, leases: 0 };
    this.connections.set(key, pooled);
    ready.then(
      (client) => {
        this.logger.debug('SSH connection open', { target: key });
        const forget = (): void => {
          if (this.connections.get(key) === pooled) {
            clearTimeout(pooled.idleTimer);
            this.connections.delete(key);
            this.logger.info('SSH connection closed', { target: key });
          }
        };
        client.on('close', forget);
        // After ready, errors (keep-alive timeout, reset) end the connection: forget it.
        client.on('error', (error: Error) => {
          this.logger.warn('SSH connection failed', { target: key, error: error.message });
          forget();
        });
      },
      () => {
        if (this.connections.get(key) === pooled) {
          this.connections.delete(key);
        }
      },
    );
    return pooled;
  }

  private async drop(key: string, pooled: PooledConnection): Promise<void> {
    clearTimeout(pooled.idleTimer);
    if (this.connections.get(key) === pooled) {
      this.connections.delete(key);
    }
    const client = await pooled.ready.catch(() => undefined);
    client?.end();
  }

  private idleCloseMs(): number {
    return this.options.idleCloseMs ?? DEFAULT_SSH_IDLE_CLOSE_MS;
  }
}
