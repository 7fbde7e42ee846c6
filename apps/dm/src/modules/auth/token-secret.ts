import { createHash, randomBytes } from 'node:crypto';
import type { AuthTokenKind } from './entities/auth-token.entity';

const TOKEN_BYTES = 32;
/** Prefixes make a leaked token recognisable (secret scanners) and tell its kind at a glance. */
const TOKEN_PREFIXES: Readonly<Record<AuthTokenKind, string>> = { session: 'fls_', api: 'flt_' };

/** Generates a new random bearer secret of the given kind. */
export function generateTokenSecret(kind: AuthTokenKind): string {
  return TOKEN_PREFIXES[kind] + randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The SHA-256 (hex) under which a secret is stored and looked up. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
