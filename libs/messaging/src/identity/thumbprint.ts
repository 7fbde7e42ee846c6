import { createHash } from 'node:crypto';

/** Pattern of a thumbprint: 64 lowercase hex digits. */
export const THUMBPRINT_PATTERN = /^[0-9a-f]{64}$/;

/** Computes a certificate's thumbprint: SHA-256 of its DER, as 64 lowercase hex digits. */
export function thumbprintOf(certificateDer: Buffer): string {
  return createHash('sha256').update(certificateDer).digest('hex');
}
