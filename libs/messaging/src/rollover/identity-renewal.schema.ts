import { z } from 'zod';
import { THUMBPRINT_PATTERN } from '../identity/thumbprint';

/** Schema of an identity renewal payload: the next certificate and the next key's proof of possession. */
export const IDENTITY_RENEWAL_SCHEMA = z.strictObject({
  oldThumbprint: z.string().regex(THUMBPRINT_PATTERN),
  newThumbprint: z.string().regex(THUMBPRINT_PATTERN),
  newCertificatePem: z.string().min(1).max(16_384),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22,}$/),
  proof: z.string().regex(/^[A-Za-z0-9_-]+$/),
});

/** Payload of `agent.identity.renew.v1`. */
export type IdentityRenewal = z.infer<typeof IDENTITY_RENEWAL_SCHEMA>;
