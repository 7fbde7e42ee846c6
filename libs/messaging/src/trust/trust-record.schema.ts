import { z } from 'zod';
import { THUMBPRINT_SCHEMA, X25519_PUBLIC_KEY_SCHEMA } from '../identity/identity.schemas';
import { isTrustRole, type TrustRole } from './trust-record';

const thumbprint = THUMBPRINT_SCHEMA;

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
  encryptionPublicKey: X25519_PUBLIC_KEY_SCHEMA.optional(),
});

/** Schema of a trust store file: a format version and the records. */
export const TRUST_FILE_SCHEMA = z.strictObject({
  version: z.literal(1),
  records: z.array(TRUST_RECORD_SCHEMA),
});
