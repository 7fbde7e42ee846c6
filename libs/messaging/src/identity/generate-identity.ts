import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_RSA_MODULUS_BITS } from '../messaging.constants';
import type { Identity, KeyType } from './identity';
import { assembleIdentity } from './assemble-identity';
import { createEd25519Certificate } from './ed25519-certificate';
import { createRsaCertificate } from './rsa-certificate';

/** Options for creating a new identity in memory. */
export interface GenerateIdentityOptions {
  /** Party name, written as the certificate's CN. */
  readonly name: string;
  /** Signing key type; Ed25519 by default. */
  readonly keyType?: KeyType;
  /** RSA modulus length (2048 or 3072); ignored for Ed25519. */
  readonly rsaModulusBits?: 2048 | 3072;
  /** Time the certificate's validity is computed from; now by default. */
  readonly now?: Date;
}

/** Creates a new identity in memory (signing key, self-signed certificate, X25519 key); nothing is written. */
export async function generateIdentity(options: GenerateIdentityOptions): Promise<Identity> {
  const now = options.now ?? new Date();
  const material =
    options.keyType === 'rsa'
      ? createRsaCertificate(options.name, now, options.rsaModulusBits ?? DEFAULT_RSA_MODULUS_BITS)
      : await createEd25519Certificate(options.name, now);
  const encryption = generateKeyPairSync('x25519');
  return assembleIdentity({
    privateKey: material.privateKey,
    certificatePem: material.certificatePem,
    encryptionPrivateKey: encryption.privateKey,
    sources: {
      key: 'generated key',
      certificate: 'generated certificate',
      encryption: 'generated encryption key',
    },
  });
}
