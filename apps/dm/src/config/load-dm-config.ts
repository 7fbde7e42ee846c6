import { resolve } from 'node:path';
import type { DmConfig, DmFlags } from './dm-config';
import { DmConfigError } from './dm-config.error';
import { DM_CONFIG_SCHEMA, type DmRawConfig } from './dm-config.schema';

/** Which `FLOTILLA_*` variable each command-line flag stands for. */
export const DM_FLAG_VARIABLES: Readonly<Record<keyof DmFlags, keyof DmRawConfig>> = {
  port: 'FLOTILLA_PORT',
  host: 'FLOTILLA_HOST',
  dataDir: 'FLOTILLA_DATA_DIR',
  databaseUrl: 'FLOTILLA_DATABASE_URL',
  amqpUrl: 'FLOTILLA_AMQP_URL',
  amqpQueueType: 'FLOTILLA_AMQP_QUEUE_TYPE',
  amqpNamespace: 'FLOTILLA_AMQP_NAMESPACE',
  amqpManagementUrl: 'FLOTILLA_AMQP_MANAGEMENT_URL',
  heartbeatInterval: 'FLOTILLA_HEARTBEAT_INTERVAL',
  missedHeartbeats: 'FLOTILLA_MISSED_HEARTBEATS',
  enrollAllowlist: 'FLOTILLA_ENROLL_ALLOWLIST',
  enrollTokens: 'FLOTILLA_ENROLL_TOKENS',
  sessionTtlHours: 'FLOTILLA_SESSION_TTL_HOURS',
  loginAttemptsPerMinute: 'FLOTILLA_LOGIN_ATTEMPTS_PER_MINUTE',
  logLevel: 'FLOTILLA_LOG_LEVEL',
};

function mergeSources(
  env: Readonly<Record<string, string | undefined>>,
  flags: DmFlags,
): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {};
  for (const variable of Object.keys(DM_CONFIG_SCHEMA.shape)) {
    const value = env[variable];
    // An empty variable counts as unset, as in most shells' `FOO= cmd` idiom.
    raw[variable] = value === '' ? undefined : value;
  }
  for (const [flag, variable] of Object.entries(DM_FLAG_VARIABLES)) {
    const value = flags[flag as keyof DmFlags];
    if (value !== undefined) {
      raw[variable] = String(value);
    }
  }
  return raw;
}

function shape(raw: DmRawConfig): DmConfig {
  return {
    http: { port: raw.FLOTILLA_PORT, host: raw.FLOTILLA_HOST },
    dataDir: resolve(raw.FLOTILLA_DATA_DIR),
    databaseUrl: raw.FLOTILLA_DATABASE_URL,
    amqpUrl: raw.FLOTILLA_AMQP_URL,
    amqpQueueType: raw.FLOTILLA_AMQP_QUEUE_TYPE,
    amqpNamespace: raw.FLOTILLA_AMQP_NAMESPACE,
    amqpManagementUrl: raw.FLOTILLA_AMQP_MANAGEMENT_URL,
    adminPassword: raw.FLOTILLA_ADMIN_PASSWORD,
    heartbeat: {
      intervalSeconds: raw.FLOTILLA_HEARTBEAT_INTERVAL,
      missedLimit: raw.FLOTILLA_MISSED_HEARTBEATS,
    },
    enrollment: {
      allowlistedThumbprints: raw.FLOTILLA_ENROLL_ALLOWLIST,
      oneTimeTokens: raw.FLOTILLA_ENROLL_TOKENS,
    },
    auth: {
      sessionTtlHours: raw.FLOTILLA_SESSION_TTL_HOURS,
      loginAttemptsPerMinute: raw.FLOTILLA_LOGIN_ATTEMPTS_PER_MINUTE,
    },
    logLevel: raw.FLOTILLA_LOG_LEVEL,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads the DM configuration once from the environment and the command-line flags (flags win).
 * @throws DmConfigError listing every invalid variable and why.
 */
export function loadDmConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  flags: DmFlags = {},
): DmConfig {
  const result = DM_CONFIG_SCHEMA.safeParse(mergeSources(env, flags));
  if (!result.success) {
    throw new DmConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return deepFreeze(shape(result.data));
}
