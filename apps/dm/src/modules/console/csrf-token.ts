import { createHmac, timingSafeEqual } from 'node:crypto';

/** Domain separation: this key only ever derives CSRF tokens from session secrets. */
const CSRF_KEY = 'flotilla-console-csrf-v1';

/**
 * The CSRF token of a session: an HMAC of the session secret, so it is per session, needs no
 * storage, survives a DM restart, and reveals nothing about the (httpOnly) session cookie.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHmac('sha256', CSRF_KEY).update(sessionSecret, 'utf8').digest('base64url');
}

/** True when the presented token is the session's, compared in constant time. */
export function isCsrfTokenValid(sessionSecret: string, presented: string | undefined): boolean {
  if (presented === undefined) {
    return false;
  }
  const expected = Buffer.from(csrfTokenFor(sessionSecret));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
