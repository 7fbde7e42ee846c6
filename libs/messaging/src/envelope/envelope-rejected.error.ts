import { MessagingError } from '../errors';

/** Stable reasons an envelope is refused, in the order the receiver checks them. */
export const ENVELOPE_REJECTION_CODES = [
  'ENVELOPE_TOO_LARGE',
  'ENVELOPE_MALFORMED',
  'VERSION_TOO_OLD',
  'VERSION_UNSUPPORTED',
  'ENVELOPE_SCHEMA',
  'TYPE_NOT_ALLOWED',
  'SENDER_UNKNOWN',
  'SENDER_NOT_TRUSTED',
  'SENDER_REVOKED',
  'SENDER_NAME_MISMATCH',
  'CERTIFICATE_MISMATCH',
  'CERTIFICATE_EXPIRED',
  'SIGNATURE_INVALID',
  'WRONG_RECIPIENT',
  'BROKER_USER_MISMATCH',
  'NOT_YET_VALID',
  'EXPIRED',
  'TTL_TOO_LONG',
  'REPLAYED',
  'PAYLOAD_NOT_ENCRYPTED',
  'DECRYPTION_FAILED',
  'PAYLOAD_SCHEMA',
] as const;

/** Reason an envelope was refused. */
export type EnvelopeRejectionCode = (typeof ENVELOPE_REJECTION_CODES)[number];

/** Refusal of an envelope before any handler saw it; the channel dead-letters it with `code`. */
export class EnvelopeRejectedError extends MessagingError {
  declare readonly code: EnvelopeRejectionCode;
  /** Id of the refused message, when it could be read. */
  readonly messageId: string | undefined;
  /** Type of the refused message, when it could be read. */
  readonly messageType: string | undefined;

  constructor(
    code: EnvelopeRejectionCode,
    reason: string,
    facts: { messageId?: string; messageType?: string; sender?: string; field?: string } = {},
    options: { cause?: unknown } = {},
  ) {
    const where = facts.messageId === undefined ? 'envelope' : `message ${facts.messageId}`;
    super(code, `${where} rejected (${code}): ${reason}`, facts, options);
    this.messageId = facts.messageId;
    this.messageType = facts.messageType;
  }
}
