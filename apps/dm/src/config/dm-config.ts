import type { QueueType } from '@flotilla/messaging';
import type { LOG_LEVELS } from './dm-config.constants';

/** A pino log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated, frozen configuration of the Deployment Manager. */
export interface DmConfig {
  readonly http: { readonly port: number; readonly host: string };
  readonly dataDir: string;
  /** A PostgreSQL URL; absent means the embedded database under `<dataDir>/db`. */
  readonly databaseUrl?: string;
  /** One AMQP URL, or the comma-separated URLs of the nodes of one cluster (tried in turn). */
  readonly amqpUrl: string;
  /** The type of every queue the DM declares: `classic`, or `quorum` on a cluster (decision 0161). */
  readonly amqpQueueType: QueueType;
  /** Prefix of every exchange and queue name (isolates DMs sharing a broker); empty by default. */
  readonly amqpNamespace?: string;
  /** RabbitMQ management API base URL; derived from the AMQP URL (port 15672) when absent. */
  readonly amqpManagementUrl?: string;
  /** The first admin's password; absent means one is generated at first start. */
  readonly adminPassword?: string;
  readonly heartbeat: { readonly intervalSeconds: number; readonly missedLimit: number };
  readonly enrollment: {
    readonly allowlistedThumbprints: readonly string[];
    readonly oneTimeTokens: readonly string[];
  };
  readonly auth: { readonly sessionTtlHours: number; readonly loginAttemptsPerMinute: number };
  readonly logLevel: LogLevel;
}

/** Values given on the command line; each one wins over its `FLOTILLA_*` variable. */
export interface DmFlags {
  port?: string | number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  amqpUrl?: string;
  amqpQueueType?: string;
  amqpNamespace?: string;
  amqpManagementUrl?: string;
  heartbeatInterval?: string | number;
  missedHeartbeats?: string | number;
  enrollAllowlist?: string;
  enrollTokens?: string;
  sessionTtlHours?: string | number;
  loginAttemptsPerMinute?: string | number;
  logLevel?: string;
}
