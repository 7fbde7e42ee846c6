import { randomUUID } from 'node:crypto';
import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { DmError } from '../../errors';
import { HTTP_STATUS_OF } from '../../http-errors.filter';
import { CONSOLE_PATH } from './console.constants';
import { ConsoleCsrfError } from './console-csrf.error';
import type { SafeHtml } from './html';
import { isHtmxRequest, type ConsoleRequest } from './console-request';
import { renderError } from './views/error.view';
import { renderPage } from './views/layout.view';

/** What an error becomes on a console page: a status and a message safe to show. */
function describe(exception: unknown): {
  status: number;
  message: string;
  details: object;
  isUnexpected?: boolean;
} {
  if (exception instanceof ConsoleCsrfError) {
    return { status: HttpStatus.FORBIDDEN, message: exception.message, details: {} };
  }
  if (exception instanceof DmError && exception.code !== 'CONFIG_INVALID') {
    return {
      status: HTTP_STATUS_OF[exception.code],
      message: exception.message,
      details: exception.details,
    };
  }
  if (exception instanceof HttpException) {
    return { status: exception.getStatus(), message: exception.message, details: {} };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: '', details: {}, isUnexpected: true };
}

/**
 * The console's errors as HTML: no session leads to the login page (`HX-Redirect` for htmx), a
 * refusal is shown as a fragment (htmx) or a page, and a 500 shows only an `errorId`.
 */
@Catch()
export class ConsoleErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ConsoleErrorsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<ConsoleRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DmError && exception.code === 'UNAUTHENTICATED') {
      this.toLogin(request, response);
      return;
    }
    const described = describe(exception);
    if (described.isUnexpected === true) {
      const errorId = randomUUID();
      this.logger.error({ errorId, err: exception, url: request.originalUrl }, 'Console error');
      described.message = `Internal error (errorId ${errorId})`;
    }
    const fragment = renderError(described.message, described.details as Record<string, unknown>);
    response.status(described.status).type('html');
    response.send(isHtmxRequest(request) ? fragment.value : this.page(request, fragment));
  }

  /** A whole error page, with the navigation when the guard had found a session. */
  private page(request: ConsoleRequest, fragment: SafeHtml): string {
    const { operator, csrfToken } = request;
    const session = operator && csrfToken !== undefined ? { operator, csrfToken } : undefined;
    return renderPage({ title: 'Error', body: fragment, ...(session ? { session } : {}) });
  }

  private toLogin(request: Request, response: Response): void {
    const login = `${CONSOLE_PATH}/login`;
    if (isHtmxRequest(request)) {
      response.status(HttpStatus.UNAUTHORIZED).setHeader('HX-Redirect', login).end();
      return;
    }
    response.redirect(HttpStatus.SEE_OTHER, login);
  }
}
