import { PARTY_NAME_PATTERN } from '../identity/identity.schemas';

/** Role a trusted party plays: the Deployment Manager, or the agent of the given name. */
export type TrustRole = 'dm' | `agent:${string}`;

/** Approval state of a party: awaiting approval, trusted, or revoked for good. */
export type TrustState = 'pending' | 'trusted' | 'revoked';

/** What a receiver knows about one party, keyed by its certificate thumbprint. */
export interface TrustRecord {
  /** Thumbprint of the current certificate (SHA-256 of DER, 64 lowercase hex). */
  readonly thumbprint: string;
  /** Thumbprint of the renewed certificate during a key rollover. */
  readonly nextThumbprint?: string;
  /** Renewed certificate (PEM) matching `nextThumbprint`. */
  readonly nextCertificatePem?: string;
  /** Role of the party, which decides the message types it may send. */
  readonly role: TrustRole;
  /** Approval state. */
  readonly state: TrustState;
  /** Current certificate (PEM); its key decides the verification algorithm. */
  readonly certificatePem: string;
  /** Broker user the party publishes as (checked against the AMQP `user_id`). */
  readonly brokerUser?: string;
  /** X25519 public key (base64url raw) secrets are encrypted to. */
  readonly encryptionPublicKey?: string;
}

/** Tells whether a role string names the DM or an agent (`agent:<name>`). */
export function isTrustRole(value: string): value is TrustRole {
  return value === 'dm' || (value.startsWith('agent:') && PARTY_NAME_PATTERN.test(value.slice(6)));
}

/** Kind of sender a role belongs to, as message policies name them. */
export function roleKindOf(role: TrustRole): 'dm' | 'agent' {
  return role === 'dm' ? 'dm' : 'agent';
}
