import { X509Certificate } from 'node:crypto';
import { thumbprintOf } from '../identity/thumbprint';
import type { MessageTypeDefinition } from '../policy/message-type-definition';
import { roleKindOf, type TrustRecord } from '../trust/trust-record';
import type { EnvelopeHeader } from './envelope-header';
import { EnvelopeRejectedError, type EnvelopeRejectionCode } from './envelope-rejected.error';
import type { EnvelopeSender } from './opened-envelope';

/** The sender as authorised before its signature is checked, with the certificate to check it with. */
export interface AuthorizedSender {
  readonly sender: EnvelopeSender;
  readonly record: TrustRecord | undefined;
  readonly verificationCertificatePem: string;
}

/**
 * Decides from the trust record whether this sender may send this type, and which certificate
 * verifies it: the carried one for enrollment types (proof of possession, its thumbprint must be
 * `kid`), otherwise the record's current or next certificate.
 * @throws EnvelopeRejectedError SENDER_REVOKED, SENDER_UNKNOWN, SENDER_NOT_TRUSTED,
 * TYPE_NOT_ALLOWED, SENDER_NAME_MISMATCH or CERTIFICATE_MISMATCH.
 */
export function authorizeSender(
  header: EnvelopeHeader,
  definition: MessageTypeDefinition,
  record: TrustRecord | undefined,
): AuthorizedSender {
  checkStanding(header, definition, record);
  const carried = header.x5c === undefined ? undefined : carriedCertificate(header);
  const verificationCertificatePem =
    carried ?? certificateOnRecord(header.kid, record as TrustRecord);
  return {
    record,
    verificationCertificatePem,
    sender: {
      name: header.iss,
      thumbprint: header.kid,
      role: record?.role ?? 'unknown',
      state: record?.state ?? 'unknown',
      ...(carried === undefined ? {} : { certificatePem: carried }),
    },
  };
}

function checkStanding(
  header: EnvelopeHeader,
  definition: MessageTypeDefinition,
  record: TrustRecord | undefined,
): void {
  const reject = (code: EnvelopeRejectionCode, reason: string, field?: string): never => {
    throw new EnvelopeRejectedError(code, reason, {
      ...factsOf(header),
      ...(field === undefined ? {} : { field }),
    });
  };
  const openToUnknown = definition.senders.includes('unknown');
  if (record?.state === 'revoked') {
    reject('SENDER_REVOKED', `sender ${header.kid} is revoked`);
  }
  if (record === undefined) {
    if (!openToUnknown) {
      reject(
        'SENDER_UNKNOWN',
        `sender ${header.kid} is not in the trust store; only enrollment is accepted`,
      );
    }
    return;
  }
  if (record.state === 'pending' && !openToUnknown) {
    reject('SENDER_NOT_TRUSTED', `sender ${header.kid} is pending approval`);
  }
  if (!openToUnknown && !definition.senders.includes(roleKindOf(record.role))) {
    reject('TYPE_NOT_ALLOWED', `role ${record.role} may not send ${header.typ}`);
  }
  if (record.role !== 'dm' && record.role !== `agent:${header.iss}`) {
    reject(
      'SENDER_NAME_MISMATCH',
      `sender signed as "${header.iss}" but ${header.kid} belongs to ${record.role}`,
      'protected.iss',
    );
  }
}

function factsOf(header: EnvelopeHeader): {
  messageId: string;
  messageType: string;
  sender: string;
} {
  return { messageId: header.id, messageType: header.typ, sender: header.kid };
}

function certificateOnRecord(kid: string, record: TrustRecord): string {
  return kid === record.nextThumbprint && record.nextCertificatePem !== undefined
    ? record.nextCertificatePem
    : record.certificatePem;
}

function carriedCertificate(header: EnvelopeHeader): string {
  const facts = factsOf(header);
  const der = Buffer.from(header.x5c ?? '', 'base64');
  if (thumbprintOf(der) !== header.kid) {
    throw new EnvelopeRejectedError(
      'CERTIFICATE_MISMATCH',
      `carried certificate has thumbprint ${thumbprintOf(der)}, not the signer ${header.kid}`,
      { ...facts, field: 'protected.x5c' },
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch (error: unknown) {
    throw new EnvelopeRejectedError(
      'CERTIFICATE_MISMATCH',
      'carried certificate cannot be parsed',
      { ...facts, field: 'protected.x5c' },
      { cause: error },
    );
  }
  // The name a party signs must be the name its certificate binds (Puppet CVE-2011-3872 lesson).
  if (!certificate.subject.split('\n').includes(`CN=${header.iss}`)) {
    throw new EnvelopeRejectedError(
      'SENDER_NAME_MISMATCH',
      `sender signed as "${header.iss}" but its certificate subject is ${certificate.subject.replace(/\n/g, ', ')}`,
      { ...facts, field: 'protected.iss' },
    );
  }
  return certificate.toString();
}
