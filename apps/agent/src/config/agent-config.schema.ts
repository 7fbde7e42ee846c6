import { z } from 'zod';
import { FIREWALL_BACKEND_NAMES, parsePortRule, type PortRule } from '@flotilla/recipes';
import {
  DEFAULT_AGENT_DATA_DIR,
  DEFAULT_ALWAYS_OPEN_PORTS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_PROXY_CONCURRENCY,
  DEFAULT_RECIPE_TIMEOUT_MS,
} from '../agent.constants';

/** One node of `FLOTILLA_AMQP_URL` (a cluster lists its nodes comma-separated, rabbitmq/CLUSTER.md). */
const BROKER_URL_PATTERN = /^amqps?:\/\/[^@/]+@[^/,]+\/.+$/;
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 24 * 60 * 60_000;

const milliseconds = (fallback: number) =>
  z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(MIN_INTERVAL_MS, `must be at least ${MIN_INTERVAL_MS} ms`)
    .max(MAX_INTERVAL_MS, `must be at most ${MAX_INTERVAL_MS} ms`)
    .default(fallback);

const portList = z
  .string()
  .default(DEFAULT_ALWAYS_OPEN_PORTS)
  .transform((text, context): PortRule[] => {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
    const rules: PortRule[] = [];
    for (const item of items) {
      try {
        rules.push(parsePortRule(item));
      } catch (error: unknown) {
        context.addIssue({
          code: 'custom',
          message: `"${item}" is not a port rule such as 22/tcp (${String(error)})`,
        });
      }
    }
    return rules;
  });

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
  .default('false')
  .transform((text) => ['true', '1', 'yes'].includes(text));

/** The agent's `FLOTILLA_*` variables, validated; every key is named in its error. */
export const AGENT_CONFIG_SCHEMA = z.object({
  FLOTILLA_AGENT_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase label of letters, digits and dashes'),
  FLOTILLA_AMQP_URL: z
    .string('is required')
    .refine(
      (list) => list.split(',').every((url) => BROKER_URL_PATTERN.test(url.trim())),
      'must be an amqp(s)://user:password@host:port/vhost URL, or a comma-separated list of them',
    ),
  FLOTILLA_BROKER_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be a simple name')
    .optional(),
  FLOTILLA_DM_THUMBPRINT: z
    .string('is required')
    .transform((text) => text.toLowerCase())
    .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits (SHA-256 of the certificate)')),
  FLOTILLA_ENROLLMENT_TOKEN: z.string().min(1).max(4096).optional(),
  FLOTILLA_DATA_DIR: z.string().min(1).default(DEFAULT_AGENT_DATA_DIR),
  FLOTILLA_FIREWALL: z
    .enum(FIREWALL_BACKEND_NAMES, 'must be one of nft, iptables, none')
    .default('nft'),
  FLOTILLA_FIREWALL_MANAGED: booleanText,
  FLOTILLA_ALWAYS_OPEN_PORTS: portList,
  FLOTILLA_RECIPE_TIMEOUT_MS: milliseconds(DEFAULT_RECIPE_TIMEOUT_MS),
  FLOTILLA_RECIPE_USER: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, 'must be a user name or uid')
    .optional(),
  FLOTILLA_HEARTBEAT_INTERVAL_MS: milliseconds(DEFAULT_HEARTBEAT_INTERVAL_MS),
  FLOTILLA_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  FLOTILLA_PROXY: booleanText,
  FLOTILLA_PROXY_KEYS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    )
    .pipe(z.array(z.string().regex(/^\/.*[^/]$/, 'must list absolute key file paths')).max(64)),
  FLOTILLA_PROXY_CONCURRENCY: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(64, 'must be at most 64')
    .default(DEFAULT_PROXY_CONCURRENCY),
});

/** The raw variables after validation, before they are shaped into an `AgentConfig`. */
export type AgentRawConfig = z.output<typeof AGENT_CONFIG_SCHEMA>;
