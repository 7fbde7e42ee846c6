import { homedir } from 'node:os';
import { join } from 'node:path';

/** The REST API port the issue asks for. */
export const DEFAULT_PORT = 8181;
/** Listen on every interface by default: operators reach the DM from other hosts. */
export const DEFAULT_HOST = '0.0.0.0';
/** Where the embedded database, the generated admin password and stored templates live. */
export const DEFAULT_DATA_DIR = join(homedir(), '.flotilla', 'dm');
/** The local broker of a development machine. */
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
/** Seconds between two agent heartbeats. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 10;
/** Heartbeats an agent may miss before it is marked lost. */
export const DEFAULT_MISSED_HEARTBEAT_LIMIT = 3;
/** Hours an operator session stays valid. */
export const DEFAULT_SESSION_TTL_HOURS = 12;
/** Login attempts allowed per IP address and per username in one window. */
export const DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE = 10;
/** The shortest one-time enrollment token accepted in the configuration. */
export const MIN_ENROLLMENT_TOKEN_LENGTH = 16;
/** The shortest admin password accepted from FLOTILLA_ADMIN_PASSWORD. */
export const MIN_ADMIN_PASSWORD_LENGTH = 12;
/** A SHA-256 certificate thumbprint as the envelope design writes it. */
export const THUMBPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** The log levels pino understands, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
