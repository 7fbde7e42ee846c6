import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../../dm.constants';

/**
 * Sets the operator's session cookie, the same for the API's login and the console's:
 * HttpOnly, SameSite=Strict, Secure when the request came over TLS, for the whole site.
 */
export function setSessionCookie(
  request: Request,
  response: Response,
  session: { readonly token: string; readonly expiresAt: Date },
): void {
  response.cookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.secure,
    path: '/',
    expires: session.expiresAt,
  });
}
