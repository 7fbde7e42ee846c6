import { CliError } from '../cli-error';

/** The body the DM sends with an error (its one exception filter shapes every error this way). */
export interface DmErrorBody {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string | string[];
  readonly details?: Record<string, unknown>;
  readonly errorId?: string;
}

/** A DM answer with an error status; carries the status and the parsed body. */
export class DmResponseError extends CliError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: DmErrorBody,
  ) {
    super(
      status === 401 ? 'UNAUTHENTICATED' : 'REQUEST_REFUSED',
      describe(method, path, status, body),
    );
  }
}

function describe(method: string, path: string, status: number, body: DmErrorBody): string {
  if (status === 401) {
    return `The DM refused the credentials (${method} ${path}: 401): run flotilla login`;
  }
  const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
  const code = body.code ? ` ${body.code}` : '';
  const errorId = body.errorId ? ` (error id ${body.errorId}, see the DM log)` : '';
  return `${method} ${path} failed: ${status}${code}: ${message ?? 'no message'}${errorId}`;
}
