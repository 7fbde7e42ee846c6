import { DEFAULT_QUEUE_TYPE, QUEUE_TYPES, splitBrokerUrls } from '@flotilla/messaging';
import { z } from 'zod';
import {
  DEFAULT_AMQP_URL,
  DEFAULT_DATA_DIR,
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  DEFAULT_HOST,
  DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE,
  DEFAULT_MISSED_HEARTBEAT_LIMIT,
  DEFAULT_PORT,
  DEFAULT_SESSION_TTL_HOURS,
  LOG_LEVELS,
  MIN_ADMIN_PASSWORD_LENGTH,
  MIN_ENROLLMENT_TOKEN_LENGTH,
  THUMBPRINT_PATTERN,
} from './dm-config.constants';

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be an integer from ${min} to ${max}`)
    .optional()
    .transform((n) => n ?? fallback);

const urlWithScheme = (schemes: readonly string[], what: string) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false; // not parseable as a URL at all: the same message applies
      }
    }, `must be ${what}`);

/** Whether `text` lists the node URLs of one broker (see `splitBrokerUrls`). */
function isBrokerUrlList(text: string): boolean {
  try {
    splitBrokerUrls(text);
    return true;
  } catch {
    return false; // the schema message names the variable and what it must be
  }
}

const commaList = (item: z.ZodString) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item));

/** The raw settings, keyed by their `FLOTILLA_*` names so that every error names the variable. */
export const DM_CONFIG_SCHEMA = z.object({
  FLOTILLA_PORT: integer(1, 65535, DEFAULT_PORT),
  FLOTILLA_HOST: z.string().trim().min(1, 'must not be empty').default(DEFAULT_HOST),
  FLOTILLA_DATA_DIR: z.string().trim().min(1, 'must not be empty').default(DEFAULT_DATA_DIR),
  FLOTILLA_DATABASE_URL: urlWithScheme(
    ['postgres:', 'postgresql:'],
    'a postgres:// URL',
  ).optional(),
  FLOTILLA_AMQP_URL: z
    .string()
    .trim()
    .refine(isBrokerUrlList, 'must be an amqp(s):// URL or a comma-separated list of them')
    .default(DEFAULT_AMQP_URL),
  FLOTILLA_AMQP_QUEUE_TYPE: z
    .enum(QUEUE_TYPES, { error: `must be one of ${QUEUE_TYPES.join(', ')}` })
    .default(DEFAULT_QUEUE_TYPE),
  FLOTILLA_AMQP_NAMESPACE: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase label (letters, digits, dashes)')
    .optional(),
  FLOTILLA_AMQP_MANAGEMENT_URL: urlWithScheme(['http:', 'https:'], 'an http(s):// URL').optional(),
  FLOTILLA_ADMIN_PASSWORD: z
    .string()
    .min(MIN_ADMIN_PASSWORD_LENGTH, `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`)
    .optional(),
  FLOTILLA_HEARTBEAT_INTERVAL: integer(1, 3600, DEFAULT_HEARTBEAT_INTERVAL_SECONDS),
  FLOTILLA_MISSED_HEARTBEATS: integer(1, 100, DEFAULT_MISSED_HEARTBEAT_LIMIT),
  FLOTILLA_ENROLL_ALLOWLIST: commaList(
    z.string().regex(THUMBPRINT_PATTERN, 'must list thumbprints as sha256:<64 lowercase hex>'),
  ),
  FLOTILLA_ENROLL_TOKENS: commaList(
    z
      .string()
      .min(
        MIN_ENROLLMENT_TOKEN_LENGTH,
        `must list tokens of at least ${MIN_ENROLLMENT_TOKEN_LENGTH} characters`,
      ),
  ),
  FLOTILLA_SESSION_TTL_HOURS: integer(1, 24 * 30, DEFAULT_SESSION_TTL_HOURS),
  FLOTILLA_LOGIN_ATTEMPTS_PER_MINUTE: integer(1, 10000, DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE),
  FLOTILLA_LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
});

/** The settings after validation, before they are shaped into a `DmConfig`. */
export type DmRawConfig = z.output<typeof DM_CONFIG_SCHEMA>;
