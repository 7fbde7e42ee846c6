import { X509Certificate, type KeyObject } from 'node:crypto';
import { MIN_RSA_MODULUS_BITS } from '../messaging.constants';
import { IdentityError } from './identity.error';
import type { KeyType } from './identity';

/** Facts read from a certificate that an identity or a verifier needs. */
export interface CertificateFacts {
  readonly der: Buffer;
  readonly commonName: string;
  readonly publicKey: KeyObject;
  readonly keyType: KeyType;
  /** Start of the validity period, ms since the epoch. */
  readonly validFromMs: number;
  /** End of the validity period, ms since the epoch. */
  readonly validToMs: number;
}

/**
 * Parses a PEM certificate and reads its common name, public key and key type; `source` names where
 * the certificate came from (a file, an envelope field) in the error.
 * @throws IdentityError CERTIFICATE_INVALID when it cannot be parsed, has no CN, or its key is not
 * Ed25519 or RSA of at least 2048 bits.
 */
export function readCertificate(certificatePem: string, source: string): CertificateFacts {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error: unknown) {
    throw new IdentityError(
      'CERTIFICATE_INVALID',
      `${source}: not a valid X.509 certificate`,
      { file: source },
      { cause: error },
    );
  }
  const commonName = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1];
  if (commonName === undefined) {
    throw new IdentityError('CERTIFICATE_INVALID', `${source}: certificate has no CN`, {
      file: source,
    });
  }
  const publicKey = certificate.publicKey;
  return {
    der: Buffer.from(certificate.raw),
    commonName,
    publicKey,
    keyType: keyTypeOf(publicKey, source),
    validFromMs: Date.parse(certificate.validFrom),
    validToMs: Date.parse(certificate.validTo),
  };
}

function keyTypeOf(publicKey: KeyObject, source: string): KeyType {
  if (publicKey.asymmetricKeyType === 'ed25519') {
    return 'ed25519';
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (publicKey.asymmetricKeyType === 'rsa' && bits >= MIN_RSA_MODULUS_BITS) {
    return 'rsa';
  }
  throw new IdentityError(
    'CERTIFICATE_INVALID',
    `${source}: certificate key must be Ed25519 or RSA >= ${MIN_RSA_MODULUS_BITS} bits, got ${publicKey.asymmetricKeyType ?? 'unknown'} ${bits || ''}`.trim(),
    { file: source },
  );
}
