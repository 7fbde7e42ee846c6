import { randomBytes } from 'node:crypto';
import { MessagingError } from '../errors';
import { IDENTITY_RENEWAL_PROOF_LABEL } from '../messaging.constants';
import type { Identity } from '../identity/identity';
import { readCertificate } from '../identity/certificate-key';
import { signBytes, verifyBytes } from '../identity/signature';
import { thumbprintOf } from '../identity/thumbprint';
import type { TrustRecord } from '../trust/trust-record';
import type { TrustStore } from '../trust/trust-store';
import type { IdentityRenewal } from './identity-renewal.schema';

const NONCE_BYTES = 16;

/**
 * Builds the payload of `agent.identity.renew.v1`: the next certificate and a signature by the
 * next key over (old thumbprint, new thumbprint, nonce). Send it sealed by the current identity.
 */
export function createIdentityRenewal(current: Identity, next: Identity): IdentityRenewal {
  const nonce = randomBytes(NONCE_BYTES).toString('base64url');
  const proof = signBytes(proofInput(current.thumbprint, next.thumbprint, nonce), next.privateKey);
  return {
    oldThumbprint: current.thumbprint,
    newThumbprint: next.thumbprint,
    newCertificatePem: next.certificatePem,
    nonce,
    proof: proof.toString('base64url'),
  };
}

/**
 * Checks a renewal received in an envelope verified under `senderThumbprint`: it names that
 * sender as old, the certificate's thumbprint is the new one, and the new key signed the proof.
 * @throws MessagingError RENEWAL_INVALID naming the field at fault.
 */
export function verifyIdentityRenewal(renewal: IdentityRenewal, senderThumbprint: string): void {
  const fail = (field: string, reason: string): never => {
    throw new MessagingError(
      'RENEWAL_INVALID',
      `identity renewal from ${senderThumbprint}: ${field} ${reason}`,
      {
        thumbprint: senderThumbprint,
        field,
      },
    );
  };
  if (renewal.oldThumbprint !== senderThumbprint) {
    fail('oldThumbprint', 'is not the thumbprint that signed the envelope');
  }
  let certificate;
  try {
    certificate = readCertificate(renewal.newCertificatePem, 'newCertificatePem');
  } catch (error: unknown) {
    return fail('newCertificatePem', error instanceof Error ? error.message : 'is invalid');
  }
  if (thumbprintOf(certificate.der) !== renewal.newThumbprint) {
    fail('newThumbprint', 'does not match newCertificatePem');
  }
  if (renewal.newThumbprint === renewal.oldThumbprint) {
    fail('newThumbprint', 'must differ from the old one');
  }
  const input = proofInput(renewal.oldThumbprint, renewal.newThumbprint, renewal.nonce);
  if (!verifyBytes(input, Buffer.from(renewal.proof, 'base64url'), certificate.publicKey)) {
    fail('proof', 'is not a signature by the new key');
  }
}

/**
 * Verifies a renewal and stages its certificate as the sender's next thumbprint; the old key keeps
 * working until {@link TrustStore.promoteNext} is called (after the party switched).
 * @throws MessagingError RENEWAL_INVALID, or TrustStoreError when the sender is not on record.
 */
export async function acceptIdentityRenewal(
  store: TrustStore,
  senderThumbprint: string,
  renewal: IdentityRenewal,
): Promise<TrustRecord> {
  verifyIdentityRenewal(renewal, senderThumbprint);
  return store.installNext(senderThumbprint, {
    thumbprint: renewal.newThumbprint,
    certificatePem: renewal.newCertificatePem,
  });
}

function proofInput(oldThumbprint: string, newThumbprint: string, nonce: string): Buffer {
  return Buffer.from(
    [IDENTITY_RENEWAL_PROOF_LABEL, oldThumbprint, newThumbprint, nonce].join('\n'),
    'utf8',
  );
}
