import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './authenticated-request';
import type { Operator } from './operator';

/** Injects the operator the auth guard authenticated. */
export const CurrentOperator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Operator => {
    const operator = context.switchToHttp().getRequest<AuthenticatedRequest>().operator;
    if (!operator) {
      // Only reachable on a @Public() route, where asking for the operator is a programming error.
      throw new Error('CurrentOperator used on a route the auth guard does not protect');
    }
    return operator;
  },
);
