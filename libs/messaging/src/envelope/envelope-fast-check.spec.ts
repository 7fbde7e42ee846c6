import { expect } from 'chai';
import fc from 'fast-check';
import { PAYLOAD_ENCRYPTION_SCHEME } from '../messaging.constants';
import { isWellFormedHeader, isWellFormedWire } from './envelope-fast-check';
import { ENVELOPE_HEADER_SCHEMA, WIRE_ENVELOPE_SCHEMA } from './envelope-header';

const THUMBPRINT = 'a'.repeat(64);
const VALID_HEADER = {
  v: 1,
  typ: 'agent.heartbeat.v1',
  alg: 'EdDSA',
  kid: THUMBPRINT,
  iss: 'web1',
  aud: 'b'.repeat(64),
  id: '0b6f1c1e-8a4e-4d7b-9f3e-2a1c5d6e7f80',
  iat: 1_000,
  exp: 61_000,
  enc: 'none',
};

/** Values that sit on and around every limit of the header schema. */
const edgyValue = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    0,
    -1,
    1.5,
    2 ** 53,
    '',
    'x'.repeat(128),
    'x'.repeat(129),
    'EdDSA',
    'PS256',
    'RS256',
    'none',
    PAYLOAD_ENCRYPTION_SCHEME,
    'A'.repeat(43),
    'A'.repeat(42),
    '+'.repeat(43),
    THUMBPRINT,
    THUMBPRINT.toUpperCase(),
    '00000000-0000-0000-0000-000000000000',
    '0b6f1c1e-8a4e-9d7b-9f3e-2a1c5d6e7f80',
    [],
    {},
  ),
  fc.string(),
  fc.integer(),
);

const headerKey = fc.constantFrom(
  ...Object.keys(VALID_HEADER),
  'corr',
  'jobId',
  'epk',
  'x5c',
  'extra',
  '__proto__',
);

/** A valid header with a few fields replaced, added or removed. */
const mutatedHeader = fc
  .array(fc.tuple(headerKey, edgyValue, fc.boolean()), { maxLength: 4 })
  .map((changes) => {
    const header: Record<string, unknown> = { ...VALID_HEADER };
    for (const [key, value, isRemoval] of changes) {
      if (isRemoval) {
        delete header[key];
      } else {
        Object.defineProperty(header, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return header;
  });

describe('envelope fast checks', () => {
  describe('isWellFormedHeader', () => {
    it('should accept a valid header', () => {
      expect(isWellFormedHeader(VALID_HEADER)).to.equal(true);
    });

    it('should only accept headers the schema accepts unchanged', () => {
      fc.assert(
        fc.property(mutatedHeader, (header) => {
          if (isWellFormedHeader(header)) {
            const parsed = ENVELOPE_HEADER_SCHEMA.safeParse(header);
            expect(parsed.success, JSON.stringify(header)).to.equal(true);
            expect(parsed.data).to.deep.equal(header);
          }
        }),
        { numRuns: 2_000 },
      );
    });

    it('should refuse an own __proto__ key as the schema does', () => {
      const header: unknown = JSON.parse(
        `{"__proto__":{},${JSON.stringify(VALID_HEADER).slice(1)}`,
      );

      expect(isWellFormedHeader(header)).to.equal(false);
      expect(ENVELOPE_HEADER_SCHEMA.safeParse(header).success).to.equal(false);
    });
  });

  describe('isWellFormedWire', () => {
    it('should only accept wire objects the schema accepts unchanged', () => {
      const part = fc.oneof(
        fc.constantFrom('', 'abc', 'a-b_c', 'a+b', 'a=', undefined, 1),
        fc.string(),
      );
      const key = fc.constantFrom('protected', 'payload', 'sig', 'extra');
      fc.assert(
        fc.property(fc.dictionary(key, part), (wire) => {
          if (isWellFormedWire(wire)) {
            const parsed = WIRE_ENVELOPE_SCHEMA.safeParse(wire);
            expect(parsed.success, JSON.stringify(wire)).to.equal(true);
            expect(parsed.data).to.deep.equal(wire);
          }
        }),
        { numRuns: 2_000 },
      );
    });

    it('should accept a well-formed wire object', () => {
      expect(isWellFormedWire({ protected: 'eyJ2IjoxfQ', payload: '', sig: 'c2ln' })).to.equal(
        true,
      );
    });
  });
});
