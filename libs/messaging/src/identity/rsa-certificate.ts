import { generateKeyPairSync, randomBytes, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { CERTIFICATE_VALIDITY_DAYS, MS_PER_DAY } from '../messaging.constants';
import type { GeneratedSigningMaterial } from './ed25519-certificate';

/**
 * Creates an RSA key pair (node:crypto, fast) and a self-signed SHA-256 certificate with node-forge,
 * the shape enterprise PKIs issue; node-forge only builds the certificate, it never signs messages.
 */
export function createRsaCertificate(
  name: string,
  now: Date,
  modulusBits: number,
): GeneratedSigningMaterial {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: modulusBits });
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privatePem);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  certificate.serialNumber = `01${randomBytes(15).toString('hex')}`;
  certificate.validity.notBefore = new Date(now.getTime() - MS_PER_DAY);
  certificate.validity.notAfter = new Date(now.getTime() + CERTIFICATE_VALIDITY_DAYS * MS_PER_DAY);
  const subject = [{ name: 'commonName', value: name }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
  ]);
  certificate.sign(forgeKey, forge.md.sha256.create());
  return {
    privateKey: createPrivateKey(privatePem),
    certificatePem: forge.pki.certificateToPem(certificate),
  };
}
