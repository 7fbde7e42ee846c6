// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { randomBytes, webcrypto, KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { CERTIFICATE_VALIDITY_DAYS, MS_PER_DAY } from '../messaging.constants';

const ED25519 = { name: 'Ed25519' } as const;

/** Key pair and self-signed certificate produced for a new Ed25519 identity. */
export interface GeneratedSigningMaterial {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
}

/** Creates an Ed25519 key pair and a self-signed X.509 certificate (RFC 8410) with @peculiar/x509. */
export async function createEd25519Certificate(
  name: string,
  now: Date,
): Promise<GeneratedSigningMaterial> {
  const keys = (await webcrypto.subtle.generateKey(ED25519, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomBytes(16)
        .toString('hex')
        .replace(/^[89a-f]/, '1'),
      name: [{ CN: [name] }],
      notBefore: new Date(now.getTime() - MS_PER_DAY),
      notAfter: new Date(now.getTime() + CERTIFICATE_VALIDITY_DAYS * MS_PER_DAY),
      // @peculiar/x509 types its parameters with the DOM's WebCrypto globals, which this project
      // does not load; node's webcrypto objects are the same API, so they are passed as `never`.
      keys: keys as never,
      signingAlgorithm: ED25519,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    webcrypto,
  );
  return {
    privateKey: KeyObject.from(keys.privateKey),
    certificatePem: certificate.toString('pem'),
  };
}
