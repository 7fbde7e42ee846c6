import type { KeyObject } from 'node:crypto';
import { verifyBytes } from './signature';

/** A way to check signatures: in the calling thread, or in a pool of worker threads. */
export interface SignatureVerifier {
  /** Resolves true when `signature` over `data` verifies with `publicKey` (false when it does not). */
  verify(data: Buffer, signature: Buffer, publicKey: KeyObject): Promise<boolean>;
}

/** The verifier that checks signatures in the calling thread (the default of `EnvelopeOpener`). */
export const IN_THREAD_VERIFIER: SignatureVerifier = {
  verify: (data, signature, publicKey) => Promise.resolve(verifyBytes(data, signature, publicKey)),
};
