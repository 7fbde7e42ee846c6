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
import { DmError, type DmErrorCode } from './errors';

/** The HTTP status of each domain error code. */
export const HTTP_STATUS_OF: Readonly<Record<DmErrorCode, number>> = {
  CONFIG_INVALID: HttpStatus.INTERNAL_SERVER_ERROR,
  DATABASE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  REQUEST_INVALID: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  LOGIN_RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  ILLEGAL_TRANSITION: HttpStatus.CONFLICT,
  ENROLLMENT_REFUSED: HttpStatus.CONFLICT,
  CONFLICT: HttpStatus.CONFLICT,
  TEMPLATE_INVALID: HttpStatus.UNPROCESSABLE_ENTITY,
};

/**
 * The one place where errors become HTTP responses: domain errors keep their message and code,
 * Nest's HTTP exceptions pass through, anything else is a 500 that shows only an `errorId` under
 * which the full error is logged.
 */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    if (exception instanceof DmError && exception.code !== 'CONFIG_INVALID') {
      const status = HTTP_STATUS_OF[exception.code];
      const retryAfter = exception.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') {
        response.setHeader('Retry-After', String(retryAfter));
      }
      response.status(status).json({
        statusCode: status,
        code: exception.code,
        message: exception.message,
        details: exception.details,
      });
      return;
    }
    if (exception instanceof HttpException) {
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, err: exception, method: request.method, url: request.originalUrl },
      'Unhandled error',
    );
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ statusCode: 500, errorId });
  }
}
