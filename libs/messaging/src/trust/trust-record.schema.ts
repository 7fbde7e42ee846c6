import { z } from 'zod';
import { THUMBPRINT_PATTERN } from '../identity/thumbprint';
import { isTrustRole, type TrustRole } from './trust-record';

const thumbprint = z.string().regex(THUMBPRINT_PATTERN, 'must be 64 lowercase hex digits');

/** Schema of one trust record as persisted (unknown fields rejected). */
export const TRUST_RECORD_SCHEMA = z.strictObject({
  thumbprint,
  nextThumbprint: thumbprint.optional(),
  nextCertificatePem: z.string().min(1).optional(),
  role: z.custom<TrustRole>(
    (value) => typeof value === 'string' && isTrustRole(value),
    'must be "dm" or "agent:<name>"',
  ),
  state: z.enum(['pending', 'trusted', 'revoked']),
  certificatePem: z.string().min(1),
  brokerUser: z.string().min(1).optional(),
  encryptionPublicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url X25519 key')
    .optional(),
});

/** Schema of a trust store file: a format version and the records. */
export const TRUST_FILE_SCHEMA = z.strictObject({
  version: z.literal(1),
  records: z.array(TRUST_RECORD_SCHEMA),
});
