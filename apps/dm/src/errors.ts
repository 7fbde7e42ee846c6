/** Stable codes of the DM's domain errors; the HTTP filter maps each one to a status. */
export type DmErrorCode =
  | 'CONFIG_INVALID'
  | 'DATABASE_UNAVAILABLE'
  | 'REQUEST_INVALID'
  | 'UNAUTHENTICATED'
  | 'LOGIN_RATE_LIMITED'
  | 'NOT_FOUND'
  | 'ILLEGAL_TRANSITION'
  | 'ENROLLMENT_REFUSED'
  | 'CONFLICT'
  | 'TEMPLATE_INVALID';

/** The base of every domain error the DM throws; it never carries an HTTP status itself. */
export class DmError extends Error {
  constructor(
    readonly code: DmErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
