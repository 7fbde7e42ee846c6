import type { Request } from 'express';
import { SESSION_COOKIE } from '../../dm.constants';
import type { Operator } from './operator';

/** A request the auth guard let through, with the operator and the secret it presented. */
export interface AuthenticatedRequest extends Request {
  operator?: Operator;
  authToken?: string;
}

const BEARER = /^Bearer\s+(\S+)$/i;

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      return decodeURIComponent(part.slice(separator + 1).trim());
    }
  }
  return undefined;
}

/** The secret a request presents: a bearer token first, otherwise the session cookie. */
export function presentedSecret(request: Request): string | undefined {
  const bearer = BEARER.exec(request.headers.authorization ?? '');
  return bearer?.[1] ?? readCookie(request.headers.cookie, SESSION_COOKIE);
}
