import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { AgentConfig, AgentFlags } from './agent-config';
import { AgentConfigError } from './agent-config.error';
import { AGENT_CONFIG_SCHEMA, type AgentRawConfig } from './agent-config.schema';

/** Which `FLOTILLA_*` variable each command-line flag stands for. */
export const AGENT_FLAG_VARIABLES: Readonly<Record<keyof AgentFlags, keyof AgentRawConfig>> = {
  name: 'FLOTILLA_AGENT_NAME',
  amqpUrl: 'FLOTILLA_AMQP_URL',
  brokerNamespace: 'FLOTILLA_BROKER_NAMESPACE',
  dmThumbprint: 'FLOTILLA_DM_THUMBPRINT',
  enrollmentToken: 'FLOTILLA_ENROLLMENT_TOKEN',
  dataDir: 'FLOTILLA_DATA_DIR',
  firewall: 'FLOTILLA_FIREWALL',
  firewallManaged: 'FLOTILLA_FIREWALL_MANAGED',
  alwaysOpen: 'FLOTILLA_ALWAYS_OPEN_PORTS',
  recipeTimeout: 'FLOTILLA_RECIPE_TIMEOUT_MS',
  recipeUser: 'FLOTILLA_RECIPE_USER',
  heartbeatInterval: 'FLOTILLA_HEARTBEAT_INTERVAL_MS',
  logLevel: 'FLOTILLA_LOG_LEVEL',
  proxy: 'FLOTILLA_PROXY',
  proxyKey: 'FLOTILLA_PROXY_KEYS',
  proxyConcurrency: 'FLOTILLA_PROXY_CONCURRENCY',
};

type Environment = Readonly<Record<string, string | undefined>>;

/** The variables the schema knows, flags winning over the environment; empty counts as unset. */
export function mergeAgentSources(
  env: Environment,
  flags: AgentFlags,
): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {};
  for (const variable of Object.keys(AGENT_CONFIG_SCHEMA.shape)) {
    const value = env[variable];
    raw[variable] = value === '' ? undefined : value;
  }
  for (const [flag, variable] of Object.entries(AGENT_FLAG_VARIABLES)) {
    const value = flags[flag as keyof AgentFlags];
    if (value !== undefined) {
      raw[variable] = String(value);
    }
  }
  raw.FLOTILLA_AGENT_NAME ??= hostname().toLowerCase();
  return raw;
}

function shape(raw: AgentRawConfig, env: Environment): AgentConfig {
  return {
    name: raw.FLOTILLA_AGENT_NAME,
    amqpUrl: raw.FLOTILLA_AMQP_URL,
    brokerNamespace: raw.FLOTILLA_BROKER_NAMESPACE ?? '',
    dmThumbprint: raw.FLOTILLA_DM_THUMBPRINT,
    ...(raw.FLOTILLA_ENROLLMENT_TOKEN === undefined
      ? {}
      : { enrollmentToken: raw.FLOTILLA_ENROLLMENT_TOKEN }),
    dataDir: resolve(raw.FLOTILLA_DATA_DIR),
    firewall: {
      backend: raw.FLOTILLA_FIREWALL,
      isManaged: raw.FLOTILLA_FIREWALL_MANAGED,
      alwaysOpen: raw.FLOTILLA_ALWAYS_OPEN_PORTS,
    },
    recipes: {
      timeoutMs: raw.FLOTILLA_RECIPE_TIMEOUT_MS,
      ...(raw.FLOTILLA_RECIPE_USER === undefined ? {} : { user: raw.FLOTILLA_RECIPE_USER }),
    },
    heartbeatIntervalMs: raw.FLOTILLA_HEARTBEAT_INTERVAL_MS,
    ...(raw.FLOTILLA_PROXY
      ? {
          proxy: {
            keyFiles: raw.FLOTILLA_PROXY_KEYS,
            concurrency: raw.FLOTILLA_PROXY_CONCURRENCY,
          },
        }
      : {}),
    inheritedEnvironment: { ...env },
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
 * Reads the agent configuration once from the environment and the flags (flags win).
 * @throws AgentConfigError listing every invalid key and why.
 */
export function loadAgentConfig(
  env: Environment = process.env,
  flags: AgentFlags = {},
): AgentConfig {
  const result = AGENT_CONFIG_SCHEMA.safeParse(mergeAgentSources(env, flags));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      key: String(issue.path[0] ?? '(config)'),
      message: issue.message,
    }));
    const lines = problems.map((problem) => `${problem.key}: ${problem.message}`);
    throw new AgentConfigError(`invalid agent configuration:\n  ${lines.join('\n  ')}`, [
      ...new Set(problems.map((problem) => problem.key)),
    ]);
  }
  return deepFreeze(shape(result.data, env));
}
