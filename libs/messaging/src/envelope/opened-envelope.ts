import type { TrustRole, TrustState } from '../trust/trust-record';

/** The authenticated sender of an opened envelope. */
export interface EnvelopeSender {
  /** Name the sender signed (`iss`). */
  readonly name: string;
  /** Thumbprint of the certificate that verified the signature. */
  readonly thumbprint: string;
  /** Role on record, or `unknown` for an enrollment from a party not yet on record. */
  readonly role: TrustRole | 'unknown';
  /** State on record, or `unknown` when the party is not on record. */
  readonly state: TrustState | 'unknown';
  /** Certificate carried by the envelope (enrollment types only). */
  readonly certificatePem?: string;
}

/** A verified, decrypted and schema-validated message, ready for its handler. */
export interface OpenedEnvelope<TPayload = unknown> {
  readonly type: string;
  readonly messageId: string;
  readonly correlationId?: string;
  readonly jobId?: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Time until which the replay cache must remember this id (expiry plus clock-skew allowance). */
  readonly rememberUntil: number;
  readonly sender: EnvelopeSender;
  readonly payload: TPayload;
}
