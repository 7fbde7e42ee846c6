import { expect } from 'chai';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { tarArchive, zipArchive } from '../../../test/support/archive-builders';
import { ModelError } from '../../errors';
import { DEFAULT_ARCHIVE_LIMITS } from './archive-entry';
import { readArchive } from './archive-extractor';

const VALID = [
  zipArchive([
    { name: 'a/b.txt', data: 'hello '.repeat(20), deflate: true },
    { name: 'c', data: 'x' },
  ]),
  tarArchive([
    { name: 'a/', type: '5' },
    { name: 'a/b.txt', data: 'hello' },
  ]),
  gzipSync(tarArchive([{ name: 'a/b.txt', data: 'hello' }])),
];

/** Reads an archive; anything thrown must be the library's own refusal, never a crash. */
function readSafely(buffer: Buffer): void {
  try {
    readArchive('fuzz', buffer, DEFAULT_ARCHIVE_LIMITS);
  } catch (error: unknown) {
    expect(error).to.be.instanceOf(ModelError);
  }
}

describe('archive robustness', () => {
  it('should refuse random bytes with a ModelError, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => readSafely(Buffer.from(bytes))),
      { numRuns: 2000 },
    );
  });

  it('should refuse corrupted or truncated archives with a ModelError, never a crash', () => {
    const mutation = fc.record({
      archive: fc.constantFrom(...VALID),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.nat(),
    });
    fc.assert(
      fc.property(mutation, ({ archive, edits, cut }) => {
        const copy = Buffer.from(archive);
        for (const [at, value] of edits) {
          copy[at % copy.length] = value;
        }
        readSafely(copy.subarray(0, copy.length - (cut % copy.length)));
      }),
      { numRuns: 1000 },
    );
  });
});
