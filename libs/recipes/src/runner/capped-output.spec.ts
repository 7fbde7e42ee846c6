import { expect } from 'chai';
import { CappedOutput } from './capped-output';

describe(CappedOutput.name, () => {
  const table: [string, string[], number, string, boolean][] = [
    ['under the cap', ['abc', 'def'], 10, 'abcdef', false],
    ['exactly at the cap', ['abcde', 'fghij'], 10, 'abcdefghij', false],
    ['over the cap in the last chunk', ['abcde', 'fghijkl'], 10, 'cdefghijkl', true],
    ['one chunk larger than the cap', ['0123456789abcdef'], 4, 'cdef', true],
  ];
  for (const [label, chunks, cap, text, truncated] of table) {
    it(`should keep "${text}" (truncated: ${truncated}) when ${label}`, () => {
      const sut = new CappedOutput(cap);
      chunks.forEach((chunk) => sut.append(Buffer.from(chunk)));
      expect(sut.snapshot()).to.deep.equal({
        text,
        truncated,
        totalBytes: chunks.join('').length,
      });
    });
  }
});
