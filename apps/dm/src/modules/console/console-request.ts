import type { Request } from 'express';
import { SESSION_COOKIE } from '../../dm.constants';
import type { Operator } from '../auth/operator';

/** A console request once the console guard has let it through. */
export interface ConsoleRequest extends Request {
  operator?: Operator;
  /** The session secret of the cookie (the console ignores bearer tokens: CSRF is about cookies). */
  sessionSecret?: string;
  csrfToken?: string;
}

/** A cookie's value, if the request carries it. */
export function cookieOf(request: Request, name: string): string | undefined {
  const cookies = new URLSearchParams((request.headers.cookie ?? '').replace(/;\s*/g, '&'));
  return cookies.get(name) ?? undefined;
}

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(request: Request): string | undefined {
  return cookieOf(request, SESSION_COOKIE);
}

/** True when htmx sent the request (it then expects fragments and `HX-*` headers). */
export function isHtmxRequest(request: Request): boolean {
  return request.headers['hx-request'] === 'true';
}

/** The session the guard found; only reachable behind the console guard. */
export function sessionOf(request: ConsoleRequest): { operator: Operator; csrfToken: string } {
  if (!request.operator || request.csrfToken === undefined) {
    throw new Error('A console page was served without the console session guard');
  }
  return { operator: request.operator, csrfToken: request.csrfToken };
}

/** A text field of a parsed form body; the empty string when it is absent or not text. */
export function formField(body: unknown, name: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : '';
  return typeof value === 'string' ? value : '';
}
