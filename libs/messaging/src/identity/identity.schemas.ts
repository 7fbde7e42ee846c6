import { z } from 'zod';
import { THUMBPRINT_PATTERN } from './thumbprint';

/** Pattern of a party name (agent names, certificate CNs): 1-128 of letters, digits, `.`, `_`, `-`. */
export const PARTY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Schema of a certificate thumbprint. */
export const THUMBPRINT_SCHEMA = z
  .string()
  .regex(THUMBPRINT_PATTERN, 'must be 64 lowercase hex digits');

/** Schema of an X25519 public key as base64url of its 32 raw bytes. */
export const X25519_PUBLIC_KEY_SCHEMA = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url X25519 public key');
