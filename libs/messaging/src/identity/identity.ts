import type { KeyObject } from 'node:crypto';

/** Kind of signing key an identity holds. */
export type KeyType = 'ed25519' | 'rsa';

/** A party's X.509 identity: signing key pair, self-signed certificate and X25519 encryption keys. */
export interface Identity {
  /** Name of the party (the certificate's common name), e.g. `dm` or an agent name. */
  readonly name: string;
  /** Kind of the signing key. */
  readonly keyType: KeyType;
  /** Self-signed certificate, PEM encoded. */
  readonly certificatePem: string;
  /** Self-signed certificate, DER encoded. */
  readonly certificateDer: Buffer;
  /** SHA-256 of the certificate's DER as 64 lowercase hex digits. */
  readonly thumbprint: string;
  /** Private signing key. */
  readonly privateKey: KeyObject;
  /** Public signing key (the certificate's key). */
  readonly publicKey: KeyObject;
  /** Private X25519 key that decrypts payloads sealed for this party. */
  readonly encryptionPrivateKey: KeyObject;
  /** Public X25519 key others encrypt secrets to. */
  readonly encryptionPublicKey: KeyObject;
  /** Public X25519 key as base64url of its 32 raw bytes, the form sent at enrollment. */
  readonly encryptionPublicKeyText: string;
}
