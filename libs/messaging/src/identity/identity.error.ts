import { MessagingError, type MessagingErrorContext } from '../errors';

/** Failure to create, read or validate an identity's files (names the file in `context.file`). */
export class IdentityError extends MessagingError {
  constructor(
    code:
      | 'IDENTITY_CORRUPT'
      | 'IDENTITY_MISMATCH'
      | 'IDENTITY_INCOMPLETE'
      | 'IDENTITY_INSECURE'
      | 'CERTIFICATE_INVALID',
    message: string,
    context: MessagingErrorContext,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, context, options);
  }
}
