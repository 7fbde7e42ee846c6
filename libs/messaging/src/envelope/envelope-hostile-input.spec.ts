import { expect } from 'chai';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { finishesWithin } from '../../../../test/support/finishes-within';
import { DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_MIN_PROTOCOL_VERSION } from '../messaging.constants';
import { decodeEnvelope } from './envelope-decoder';
import { EnvelopeOpener } from './envelope-opener';
import { ENVELOPE_REJECTION_CODES, EnvelopeRejectedError } from './envelope-rejected.error';
import {
  createReceiverWorld,
  rewriteEnvelope,
  shareParties,
  trustAgent,
  type Parties,
  type ReceiverWorld,
} from '../testing/messaging-world.spec';

const LIMITS = {
  maxBytes: DEFAULT_MAX_ENVELOPE_BYTES,
  minProtocolVersion: DEFAULT_MIN_PROTOCOL_VERSION,
};
/** Codes whose error must also name the offending field (`context.field`). */
const FIELD_CODES: ReadonlySet<string> = new Set([
  'ENVELOPE_MALFORMED',
  'ENVELOPE_SCHEMA',
  'VERSION_TOO_OLD',
  'VERSION_UNSUPPORTED',
]);
/** A run that has not settled by then counts as a hang and fails the property. */
const HANG_LIMIT_MS = 5_000;
/** A worker batch of decodes cannot take this long unless the decoder hangs (a bound). */
const BATCH_LIMIT_MS = 60_000;

const HEADER_KEYS = ['v', 'typ', 'alg', 'kid', 'iss', 'aud', 'id', 'iat', 'exp', 'enc', 'epk'];
const anyJson = fc.jsonValue({ maxDepth: 3 });
const base64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Checks that `error` is our typed refusal and says why (its code) and, where it can, where. */
function expectTypedRefusal(error: unknown, input: string): void {
  expect(error, input).to.be.instanceOf(EnvelopeRejectedError);
  const refusal = error as EnvelopeRejectedError;
  expect(ENVELOPE_REJECTION_CODES, input).to.include(refusal.code);
  expect(refusal.message, input).to.contain(refusal.code);
  if (FIELD_CODES.has(refusal.code)) {
    expect(refusal.context.field, `${refusal.message} ${input}`)
      .to.be.a('string')
      .and.not.equal('');
  }
}

/** Decodes `body`: either a decoded envelope, or our typed refusal naming why. */
function decodeOrRefusal(body: Buffer): void {
  try {
    const decoded = decodeEnvelope(body, LIMITS);
    expect(decoded.header.typ).to.be.a('string');
  } catch (error: unknown) {
    expectTypedRefusal(error, body.toString('base64'));
  }
}

describe('envelope decoding against hostile input', () => {
  describe('decodeEnvelope', () => {
    it('should decode or refuse with a typed, located error for arbitrary bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
          decodeOrRefusal(Buffer.from(bytes));
        }),
        { numRuns: 3000 },
      );
    });

    it('should decode or refuse with a typed, located error for arbitrary JSON', () => {
      fc.assert(
        fc.property(anyJson, (value) => {
          decodeOrRefusal(Buffer.from(JSON.stringify(value)));
        }),
        { numRuns: 3000 },
      );
    });

    it('should decode or refuse with a typed, located error for any protected header', () => {
      const header = fc.oneof(
        anyJson,
        fc.dictionary(fc.constantFrom(...HEADER_KEYS, 'extra'), anyJson),
        fc.string(),
      );
      fc.assert(
        fc.property(header, fc.string(), (protectedValue, sig) => {
          const wire = { protected: base64url(protectedValue), payload: '', sig: base64url(sig) };
          decodeOrRefusal(Buffer.from(JSON.stringify(wire)));
        }),
        { numRuns: 3000 },
      );
    });

    for (const [label, body, field] of [
      ['a body that is not JSON', '{"protected":', '(root)'],
      ['a body that is not an object', '42', '(root)'],
      [
        'a protected header that is not JSON',
        '{"protected":"e30x","payload":"","sig":"AA"}',
        'protected',
      ],
      [
        'a protected header that is not an object',
        `{"protected":"${base64url(7)}","payload":"","sig":"AA"}`,
        'protected',
      ],
    ] as const) {
      it(`should name the field ${field} when refusing ${label}`, () => {
        expect(() => decodeEnvelope(Buffer.from(body), LIMITS))
          .to.throw(EnvelopeRejectedError)
          .with.property('context')
          .that.has.property('field', field);
      });
    }

    it('should return from every decode of a batch of hostile bodies (run in a worker, so a hang fails)', async function () {
      this.timeout(BATCH_LIMIT_MS + 10_000);
      await finishesWithin(
        resolve(__dirname, 'envelope-hostile-batch.spec.ts'),
        'decodeHostileBatch',
        BATCH_LIMIT_MS,
      );
    });

    it('should refuse a body over the limit before reading it', () => {
      const body = Buffer.alloc(LIMITS.maxBytes + 1, '{');

      expect(() => decodeEnvelope(body, LIMITS))
        .to.throw(EnvelopeRejectedError)
        .with.property('code', 'ENVELOPE_TOO_LARGE');
    });
  });

  describe(`${EnvelopeOpener.name}.open`, () => {
    let parties: Parties;
    let world: ReceiverWorld;
    let valid: Buffer;

    before(async () => {
      parties = await shareParties();
    });

    beforeEach(async () => {
      world = await createReceiverWorld(parties.dm);
      await trustAgent(world, parties.web1);
      valid = world.sealerFor(parties.web1).seal({
        type: 'agent.heartbeat.v1',
        recipient: parties.dm.thumbprint,
        payload: { sequence: 7, uptimeMs: 42 },
      }).body;
    });

    afterEach(async () => {
      await world.cleanup();
    });

    /** Opening a changed envelope must end, and only ever in our typed refusal. */
    async function expectRefused(body: Buffer): Promise<void> {
      fc.pre(!body.equals(valid));
      try {
        await world.sut.open(body);
      } catch (error: unknown) {
        expectTypedRefusal(error, body.toString());
        return;
      }
      expect.fail(`a changed envelope was accepted: ${body.toString()}`);
    }

    it('should open the untouched envelope (the mutations below start from a valid one)', async () => {
      const opened = await world.sut.open(valid);

      expect(opened.sender.name).to.equal('web1');
    });

    it('should refuse a valid envelope with any header field replaced, added or removed', async () => {
      const change = fc.tuple(fc.constantFrom(...HEADER_KEYS, 'corr', 'extra'), fc.option(anyJson));
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), async (changes) => {
          const body = rewriteEnvelope(valid, ({ header }) => {
            for (const [key, value] of changes) {
              if (value === null) {
                delete header[key];
              } else {
                header[key] = value;
              }
            }
          });
          await expectRefused(body);
        }),
        { numRuns: 1500, timeout: HANG_LIMIT_MS },
      );
    });

    it('should refuse a valid envelope whose wire parts are replaced by arbitrary values', async () => {
      const part = fc.constantFrom('protected', 'payload', 'sig', 'extra');
      const value = fc.oneof(
        anyJson,
        fc.base64String().map((text) => text.replace(/=+$/, '')),
      );
      await fc.assert(
        fc.asyncProperty(part, value, async (key, replacement) => {
          const wire = JSON.parse(valid.toString()) as Record<string, unknown>;
          wire[key] = replacement;
          await expectRefused(Buffer.from(JSON.stringify(wire)));
        }),
        { numRuns: 1500, timeout: HANG_LIMIT_MS },
      );
    });

    it('should refuse a valid envelope with bytes inserted, deleted or flipped anywhere', async () => {
      const edit = fc.record({
        at: fc.nat(),
        deleteCount: fc.nat({ max: 8 }),
        insert: fc.uint8Array({ maxLength: 8 }),
      });
      await fc.assert(
        fc.asyncProperty(edit, async ({ at, deleteCount, insert }) => {
          const bytes = [...valid];
          bytes.splice(at % (bytes.length + 1), deleteCount, ...insert);
          await expectRefused(Buffer.from(bytes));
        }),
        { numRuns: 1500, timeout: HANG_LIMIT_MS },
      );
    });
  });
});
