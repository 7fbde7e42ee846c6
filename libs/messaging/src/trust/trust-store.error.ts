import { MessagingError, type MessagingErrorContext } from '../errors';

/** Failure of a trust store operation (unknown thumbprint, unreadable file, nothing to promote). */
export class TrustStoreError extends MessagingError {
  constructor(
    code:
      | 'TRUST_RECORD_NOT_FOUND'
      | 'TRUST_RECORD_INVALID'
      | 'TRUST_NO_NEXT_THUMBPRINT'
      | 'TRUST_STORE_CORRUPT',
    message: string,
    context: MessagingErrorContext,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, context, options);
  }
}
