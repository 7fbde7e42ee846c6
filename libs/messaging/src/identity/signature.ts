import { constants, sign, verify, type KeyObject } from 'node:crypto';
import type { KeyType } from './identity';

/** JWS-style name of the signature algorithm used for each key type. */
export type SignatureAlgorithm = 'EdDSA' | 'PS256';

/** Maps a key type to the one signature algorithm Flotilla uses with it (RSA: RSASSA-PSS, SHA-256). */
export function signatureAlgorithmOf(keyType: KeyType): SignatureAlgorithm {
  return keyType === 'ed25519' ? 'EdDSA' : 'PS256';
}

const PSS_OPTIONS = {
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
} as const;

/** Signs bytes with node:crypto: Ed25519, or RSASSA-PSS with SHA-256 and a digest-length salt. */
export function signBytes(data: Buffer, privateKey: KeyObject): Buffer {
  if (privateKey.asymmetricKeyType === 'ed25519') {
    return sign(null, data, privateKey);
  }
  return sign('sha256', data, { key: privateKey, ...PSS_OPTIONS });
}

/** How node:crypto `verify` is called for one public key: digest name and key with its padding. */
export interface VerificationParameters {
  readonly algorithm: 'sha256' | null;
  readonly key: KeyObject | { key: KeyObject; padding: number; saltLength: number };
}

/** Returns the `verify` arguments implied by the (trusted) public key, never by the message. */
export function verificationParametersOf(publicKey: KeyObject): VerificationParameters {
  if (publicKey.asymmetricKeyType === 'ed25519') {
    return { algorithm: null, key: publicKey };
  }
  return { algorithm: 'sha256', key: { key: publicKey, ...PSS_OPTIONS } };
}

/**
 * Verifies a signature with the algorithm implied by the (trusted) public key, never by the message.
 * Returns false for a wrong or malformed signature.
 */
export function verifyBytes(data: Buffer, signature: Buffer, publicKey: KeyObject): boolean {
  const { algorithm, key } = verificationParametersOf(publicKey);
  try {
    return verify(algorithm, data, key, signature);
  } catch {
    // A signature of the wrong length or shape makes node:crypto throw: it is simply invalid.
    return false;
  }
}
