import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { ConsoleErrorsFilter } from './console-errors.filter';
import { ConsoleSessionGuard } from './console-session.guard';

/**
 * Marks a console controller: out of the API's bearer-or-cookie guard and OpenAPI document, behind
 * the console's cookie-and-CSRF guard, with errors rendered as HTML.
 */
export function ConsoleController(options: { isPublic?: boolean } = {}) {
  const decorators = [Public(), ApiExcludeController(), UseFilters(ConsoleErrorsFilter)];
  return applyDecorators(
    ...(options.isPublic ? decorators : [...decorators, UseGuards(ConsoleSessionGuard)]),
  );
}
