import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Identity } from './identity';
import { IdentityError } from './identity.error';
import { readCertificate } from './certificate-key';
import { thumbprintOf } from './thumbprint';

/** The stored parts an identity is assembled from, with where each came from for error messages. */
export interface IdentityParts {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
  readonly encryptionPrivateKey: KeyObject;
  readonly sources: {
    readonly key: string;
    readonly certificate: string;
    readonly encryption: string;
  };
}

/**
 * Assembles and cross-checks an identity: the certificate parses, the private key matches its
 * public key, and the encryption key is X25519.
 * @throws IdentityError naming the offending file when a part is invalid or the pair mismatches.
 */
export function assembleIdentity(parts: IdentityParts): Identity {
  const certificate = readCertificate(parts.certificatePem, parts.sources.certificate);
  const derivedPublic = createPublicKey(parts.privateKey).export({ format: 'der', type: 'spki' });
  const certificatePublic = certificate.publicKey.export({ format: 'der', type: 'spki' });
  if (!derivedPublic.equals(certificatePublic)) {
    throw new IdentityError(
      'IDENTITY_MISMATCH',
      `${parts.sources.key}: private key does not match the certificate in ${parts.sources.certificate}`,
      { file: parts.sources.key },
    );
  }
  if (parts.encryptionPrivateKey.asymmetricKeyType !== 'x25519') {
    throw new IdentityError(
      'IDENTITY_CORRUPT',
      `${parts.sources.encryption}: encryption key must be X25519, got ${parts.encryptionPrivateKey.asymmetricKeyType ?? 'unknown'}`,
      { file: parts.sources.encryption },
    );
  }
  const encryptionPublicKey = createPublicKey(parts.encryptionPrivateKey);
  return Object.freeze({
    name: certificate.commonName,
    keyType: certificate.keyType,
    certificatePem: parts.certificatePem,
    certificateDer: certificate.der,
    thumbprint: thumbprintOf(certificate.der),
    privateKey: parts.privateKey,
    publicKey: certificate.publicKey,
    encryptionPrivateKey: parts.encryptionPrivateKey,
    encryptionPublicKey,
    encryptionPublicKeyText: encryptionPublicKeyToText(encryptionPublicKey),
  });
}

/** Renders an X25519 public key as base64url of its 32 raw bytes. */
export function encryptionPublicKeyToText(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') {
    throw new IdentityError(
      'IDENTITY_CORRUPT',
      'encryption public key has no raw X25519 value',
      {},
    );
  }
  return jwk.x;
}
