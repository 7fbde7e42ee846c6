import { z } from 'zod';
import { PAYLOAD_ENCRYPTION_SCHEME } from '../messaging.constants';
import { THUMBPRINT_SCHEMA } from '../identity/identity.schemas';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const thumbprint = THUMBPRINT_SCHEMA;
const epochMs = z.number().int().nonnegative();

/** Schema of the wire envelope: JWS flattened JSON with base64url header, payload and signature. */
export const WIRE_ENVELOPE_SCHEMA = z.strictObject({
  protected: z.string().min(1).regex(BASE64URL, 'must be base64url'),
  payload: z.string().regex(BASE64URL, 'must be base64url'),
  sig: z.string().min(1).regex(BASE64URL, 'must be base64url'),
});

/** Schema of the signed (protected) envelope header. */
export const ENVELOPE_HEADER_SCHEMA = z
  .strictObject({
    v: z.number().int().positive(),
    typ: z.string().min(1).max(128),
    alg: z.enum(['EdDSA', 'PS256']),
    kid: thumbprint,
    iss: z.string().min(1).max(128),
    aud: thumbprint,
    id: z.uuid(),
    iat: epochMs,
    exp: epochMs,
    corr: z.string().min(1).max(128).optional(),
    jobId: z.string().min(1).max(128).optional(),
    enc: z.enum(['none', PAYLOAD_ENCRYPTION_SCHEME]),
    epk: z.string().length(43).regex(BASE64URL).optional(),
    x5c: z.string().min(1).max(16_384).optional(),
  })
  .refine((header) => header.exp > header.iat, { message: 'must be after iat', path: ['exp'] })
  .refine((header) => (header.enc === 'none') === (header.epk === undefined), {
    message: 'must be present exactly when the payload is encrypted',
    path: ['epk'],
  });

/** Signed envelope header: version, type, signer, recipient, id, times, options. */
export type EnvelopeHeader = z.infer<typeof ENVELOPE_HEADER_SCHEMA>;

/** Builds the exact bytes a signature covers: ASCII(protected + '.' + payload), as in JWS. */
export function signingInput(protectedPart: string, payloadPart: string): Buffer {
  return Buffer.from(`${protectedPart}.${payloadPart}`, 'ascii');
}
