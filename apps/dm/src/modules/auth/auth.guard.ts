import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DmError } from '../../errors';
import { AuthService } from './auth.service';
import { presentedSecret, type AuthenticatedRequest } from './authenticated-request';
import { IS_PUBLIC_KEY } from './public.decorator';

/** The global guard: every route needs a valid session or API token unless marked `@Public()`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = presentedSecret(request);
    const operator = secret ? await this.auth.authenticate(secret) : null;
    if (!operator || !secret) {
      throw new DmError('UNAUTHENTICATED', 'A session cookie or a bearer token is required');
    }
    request.operator = operator;
    request.authToken = secret;
    return true;
  }
}
