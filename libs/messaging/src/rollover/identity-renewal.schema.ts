import { z } from 'zod';
import { THUMBPRINT_SCHEMA } from '../identity/identity.schemas';

/** Schema of an identity renewal payload: the next certificate and the next key's proof of possession. */
export const IDENTITY_RENEWAL_SCHEMA = z.strictObject({
  oldThumbprint: THUMBPRINT_SCHEMA,
  newThumbprint: THUMBPRINT_SCHEMA,
  newCertificatePem: z.string().min(1).max(16_384),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22,}$/),
  proof: z.string().regex(/^[A-Za-z0-9_-]+$/),
});

/** Payload of `agent.identity.renew.v1`. */
export type IdentityRenewal = z.infer<typeof IDENTITY_RENEWAL_SCHEMA>;
