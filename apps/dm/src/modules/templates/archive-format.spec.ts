import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { detectArchiveFormat } from './archive-format';

describe(detectArchiveFormat.name, () => {
  const tarHeader = Buffer.alloc(512);
  tarHeader.write('ustar', 257);
  const cases: Array<[string, Buffer, string | undefined]> = [
    ['a zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'zip'],
    ['a gzip', gzipSync(Buffer.from('x')), 'tar.gz'],
    ['a tar', tarHeader, 'tar'],
    ['text', Buffer.from('hello'), undefined],
    ['nothing', Buffer.alloc(0), undefined],
  ];
  for (const [what, bytes, expected] of cases) {
    it(`should answer ${String(expected)} when the bytes are ${what}`, () => {
      expect(detectArchiveFormat(bytes)).to.equal(expected);
    });
  }
});
