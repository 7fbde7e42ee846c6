// A batch of hostile bodies through the decoder, run in a worker thread by the hostile-input
// spec so that a hang fails instead of blocking the run (named .spec.ts so the build leaves it
// out: fast-check is a test dependency).
import fc from 'fast-check';
import { DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_MIN_PROTOCOL_VERSION } from '../messaging.constants';
import { decodeEnvelope } from './envelope-decoder';
import { EnvelopeRejectedError } from './envelope-rejected.error';

const LIMITS = {
  maxBytes: DEFAULT_MAX_ENVELOPE_BYTES,
  minProtocolVersion: DEFAULT_MIN_PROTOCOL_VERSION,
};

/** Arbitrary bytes, JSON and protected headers as envelope bodies. */
export const hostileBody = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value))),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.string()).map(([header, sig]) =>
    Buffer.from(
      JSON.stringify({
        protected: Buffer.from(JSON.stringify(header)).toString('base64url'),
        payload: '',
        sig: Buffer.from(sig).toString('base64url'),
      }),
    ),
  ),
);

/** Decodes a batch of hostile bodies; returns once every one was decoded or refused. */
export function decodeHostileBatch(): void {
  fc.assert(
    fc.property(hostileBody, (body) => {
      try {
        decodeEnvelope(body, LIMITS);
      } catch (error: unknown) {
        if (!(error instanceof EnvelopeRejectedError)) {
          throw error;
        }
      }
    }),
    { numRuns: 10_000 },
  );
}
