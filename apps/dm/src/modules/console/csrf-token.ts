import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Domain separation: this key only ever derives CSRF tokens from session secrets. */
const CSRF_KEY = 'flotilla-console-csrf-v1';

/**
 * The CSRF token of a session: an HMAC of the session secret, so it is per session, needs no
 * storage, survives a DM restart, and reveals nothing about the (httpOnly) session cookie.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHmac('sha256', CSRF_KEY).update(sessionSecret, 'utf8').digest('base64url');
}

/** Random bytes in a login token (the login form has no session to derive one from). */
const LOGIN_TOKEN_BYTES = 32;

/** True when both tokens are present and equal, compared in constant time. */
export function areTokensEqual(
  expected: string | undefined,
  presented: string | undefined,
): boolean {
  if (expected === undefined || presented === undefined || expected.length === 0) {
    return false;
  }
  const left = Buffer.from(expected);
  const right = Buffer.from(presented);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True when the presented token is the session's, compared in constant time. */
export function isCsrfTokenValid(sessionSecret: string, presented: string | undefined): boolean {
  return areTokensEqual(csrfTokenFor(sessionSecret), presented);
}

/** A new random token for the login form, sent both as a cookie and as a hidden field. */
export function newLoginToken(): string {
  return randomBytes(LOGIN_TOKEN_BYTES).toString('base64url');
}
