import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import * as amqp from 'amqplib';
import type { ChannelModel } from 'amqplib';
import { DEFAULT_HEARTBEAT_SECONDS } from './amqp.constants';
import { AmqpError } from './amqp.errors';
import type { AmqpConnectionEvents } from './amqp-connection.events';
import { NOOP_AMQP_LOGGER, type AmqpLogger } from './amqp-logger';
import { computeBackoffDelay, type BackoffOptions } from './backoff';
import { BrokerUrlRotation } from './broker-url-rotation';
import { toLoggableUrlList } from './broker-urls';

/** The options of an `AmqpConnection`; only `url` is required. */
export interface AmqpConnectionOptions {
  /**
   * amqp(s)://user:password@host:port/vhost, or the comma-separated URLs of the nodes of one
   * cluster (same user and vhost), tried in turn; never logged as is.
   */
  readonly url: string;
  /** The connection name shown by the management UI (client property `connection_name`). */
  readonly name?: string;
  readonly heartbeatSeconds?: number;
  readonly reconnect?: BackoffOptions;
  readonly logger?: AmqpLogger;
}

/** A hook run on every (re)connection before `connected` is emitted: declare topology, open channels, consume. */
export type AmqpSetupHook = (model: ChannelModel) => Promise<void>;

/**
 * A self-healing AMQP connection: it connects with exponential backoff and jitter, runs the setup
 * hooks of its users on every (re)connection, and reconnects when the broker goes away. Given the
 * URLs of several cluster nodes, it tries the next node at once after a failure or a loss and
 * backs off only after a whole round has failed.
 *
 * Events (see `AmqpConnectionEvents`): `connected`, `disconnected`, `error`.
 */
export class AmqpConnection extends EventEmitter<AmqpConnectionEvents> {
  /** The URL (or URL list) with its passwords masked. */
  readonly loggableUrl: string;
  /** The broker user this connection authenticates as (what RabbitMQ checks `user_id` against). */
  readonly brokerUser: string;
  private readonly logger: AmqpLogger;
  private readonly nodes: BrokerUrlRotation;
  private readonly setupHooks = new Map<string, AmqpSetupHook>();
  private model: ChannelModel | undefined;
  private isClosing = false;
  private connecting: Promise<void> | undefined;
  private readonly stopWaiting = new AbortController();

  /** @throws AmqpError AMQP_URL_INVALID when `url` is not a list of amqp(s) URLs of one user. */
  constructor(private readonly options: AmqpConnectionOptions) {
    super();
    this.loggableUrl = toLoggableUrlList(options.url);
    this.nodes = new BrokerUrlRotation(options.url);
    this.brokerUser = this.nodes.brokerUser;
    this.logger = options.logger ?? NOOP_AMQP_LOGGER;
  }

  /** The open amqplib connection, if any (to tell whether a channel's connection is still current). */
  get currentModel(): ChannelModel | undefined {
    return this.model;
  }

  /** Whether a connection is open right now. */
  get isConnected(): boolean {
    return this.model !== undefined;
  }

  /** Connects (retrying with backoff) and resolves once the first connection is ready. */
  async start(): Promise<void> {
    this.ensureConnecting();
    await this.waitForConnection(Number.POSITIVE_INFINITY);
  }

  /**
   * Registers a hook run now (if connected) and on every reconnection; returns a function that
   * removes it. A failing hook drops the connection, which is then re-established with backoff.
   */
  async addSetupHook(name: string, hook: AmqpSetupHook): Promise<() => void> {
    this.setupHooks.set(name, hook);
    if (this.model !== undefined) {
      await hook(this.model);
    }
    return () => this.setupHooks.delete(name);
  }

  /**
   * The open connection, waiting for a reconnection for at most `timeoutMs`.
   * @throws AmqpError AMQP_NOT_CONNECTED when no connection is ready in time or the connection is closed.
   */
  async waitForConnection(timeoutMs: number): Promise<ChannelModel> {
    if (this.model !== undefined) {
      return this.model;
    }
    if (this.isClosing) {
      throw new AmqpError('AMQP_NOT_CONNECTED', `AMQP connection to ${this.loggableUrl} is closed`);
    }
    this.ensureConnecting();
    const isConnected = await this.nextConnected(timeoutMs);
    if (!isConnected) {
      throw new AmqpError(
        'AMQP_NOT_CONNECTED',
        `no AMQP connection to ${this.loggableUrl} within ${timeoutMs} ms`,
      );
    }
    return this.waitForConnection(timeoutMs);
  }

  /** Stops reconnecting and closes the connection (idempotent). */
  async close(): Promise<void> {
    this.isClosing = true;
    this.stopWaiting.abort();
    const model = this.model;
    this.model = undefined;
    if (model !== undefined) {
      try {
        await model.close();
      } catch (error: unknown) {
        // Closing an already broken connection fails; the connection is gone either way.
        this.logger.debug('AMQP connection close failed', { error: String(error) });
      }
    }
    await this.connecting;
  }

  /** Resolves true on the next `connected` event, false on timeout or close (never on `error`). */
  private nextConnected(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (isConnected: boolean): void => {
        clearTimeout(timer);
        this.off('connected', onConnected);
        this.stopWaiting.signal.removeEventListener('abort', onStop);
        resolve(isConnected);
      };
      const onConnected = (): void => finish(true);
      const onStop = (): void => finish(false);
      const timer = Number.isFinite(timeoutMs) ? setTimeout(onStop, timeoutMs) : undefined;
      this.on('connected', onConnected);
      this.stopWaiting.signal.addEventListener('abort', onStop);
    });
  }

  private ensureConnecting(): void {
    if (this.connecting === undefined && this.model === undefined && !this.isClosing) {
      this.connecting = this.connectWithBackoff().finally(() => {
        this.connecting = undefined;
      });
    }
  }

  private async connectWithBackoff(): Promise<void> {
    for (let attempt = 1; !this.isClosing; attempt += 1) {
      const node = this.nodes.currentLoggable;
      try {
        await this.connectOnce(attempt);
        return;
      } catch (error: unknown) {
        this.nodes.advance();
        // Another node may be up: try it at once; back off only when a whole round failed.
        const round = attempt / this.nodes.size;
        const waitMs = Number.isInteger(round)
          ? computeBackoffDelay(round, this.options.reconnect)
          : 0;
        this.reportError(
          error,
          `AMQP connection attempt ${attempt} to ${node} failed; next attempt in ${waitMs} ms`,
        );
        await delay(waitMs, undefined, { signal: this.stopWaiting.signal }).catch(() => undefined);
      }
    }
  }

  private async connectOnce(attempt: number): Promise<void> {
    const url = new URL(this.nodes.current);
    if (!url.searchParams.has('heartbeat')) {
      url.searchParams.set(
        'heartbeat',
        String(this.options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS),
      );
    }
    const model = await amqp.connect(url.toString(), {
      clientProperties: { connection_name: this.options.name ?? 'flotilla' },
      // Without TCP_NODELAY, Nagle's algorithm holds a frame back until the broker acknowledges
      // the previous one, and Linux delays that acknowledgement by up to 40 ms: every small
      // command or result would wait for it.
      noDelay: true,
    });
    model.on('error', (error: Error) => this.reportError(error, 'AMQP connection error'));
    model.on('close', () => this.handleClose(model));
    try {
      for (const hook of this.setupHooks.values()) {
        await hook(model);
      }
    } catch (error: unknown) {
      await model.close().catch(() => undefined);
      throw error;
    }
    if (this.isClosing) {
      await model.close().catch(() => undefined);
      return;
    }
    this.model = model;
    const node = this.nodes.currentLoggable;
    this.logger.info('AMQP connected', { url: node, attempt });
    this.emit('connected', { url: node, attempt });
  }

  private handleClose(model: ChannelModel): void {
    if (this.model !== model) {
      return;
    }
    this.model = undefined;
    const reason = this.isClosing ? 'closed by the application' : 'lost';
    this.logger.warn(`AMQP connection ${reason}`, { url: this.nodes.currentLoggable });
    // The node that dropped us is likely down: reconnect to the next one first.
    this.nodes.advance();
    this.emit('disconnected', { reason });
    this.ensureConnecting();
  }

  private reportError(error: unknown, message: string): void {
    const cause = error instanceof Error ? error : new Error(String(error));
    this.logger.warn(message, { url: this.loggableUrl, error: cause.message });
    if (this.listenerCount('error') > 0) {
      this.emit('error', cause);
    }
  }
}
