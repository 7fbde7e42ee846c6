import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DmError } from '../../errors';
import { AuthService } from '../auth/auth.service';
import { CSRF_FIELD, CSRF_HEADER } from './console.constants';
import { ConsoleCsrfError } from './console-csrf.error';
import { csrfTokenFor, isCsrfTokenValid } from './csrf-token';
import { formField, sessionCookieOf, type ConsoleRequest } from './console-request';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function presentedCsrf(request: ConsoleRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') {
    return header;
  }
  const field = formField(request.body, CSRF_FIELD);
  return field === '' ? undefined : field;
}

/**
 * The console's guard: a session cookie is required (the console filter turns its absence into a
 * redirect to the login page) and every unsafe method must carry the session's CSRF token.
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const secret = sessionCookieOf(request);
    const operator = secret === undefined ? null : await this.auth.authenticate(secret);
    if (operator === null || secret === undefined) {
      throw new DmError('UNAUTHENTICATED', 'The console needs a session: log in');
    }
    if (!SAFE_METHODS.has(request.method) && !isCsrfTokenValid(secret, presentedCsrf(request))) {
      throw new ConsoleCsrfError(request.method, request.originalUrl);
    }
    request.operator = operator;
    request.sessionSecret = secret;
    request.csrfToken = csrfTokenFor(secret);
    return true;
  }
}
