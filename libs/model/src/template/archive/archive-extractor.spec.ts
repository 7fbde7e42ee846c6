import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarArchive, zipArchive } from '../../../test/support/archive-builders';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive-entry';
import { extractArchive, readArchive } from './archive-extractor';

const SMALL: ArchiveLimits = { maxEntryBytes: 1024, maxTotalBytes: 4096, maxEntries: 5 };

function contents(
  buffer: Buffer,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): [string, string, string][] {
  return readArchive('t', buffer, limits).map((entry) => [
    entry.kind,
    entry.path,
    entry.data.toString(),
  ]);
}

function refusal(buffer: Buffer, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): string {
  try {
    readArchive('t', buffer, limits);
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('the archive was accepted');
}

describe('readArchive', () => {
  describe('tar', () => {
    it('should read files and directories, normalizing ./ prefixes', () => {
      const tar = tarArchive([
        { name: './app/', type: '5' },
        { name: './app/descriptor/application.properties', data: 'name = x\n' },
      ]);
      expect(contents(tar)).to.deep.equal([
        ['directory', 'app', ''],
        ['file', 'app/descriptor/application.properties', 'name = x\n'],
      ]);
    });

    it('should read a gzipped tar and GNU long names', () => {
      const long = `${'d'.repeat(120)}/start.sh`;
      const tar = tarArchive([
        { name: '././@LongLink', type: 'L', data: `${long}\0` },
        { name: 'short', data: 'echo' },
      ]);
      expect(contents(gzipSync(tar))).to.deep.equal([['file', long, 'echo']]);
    });

    it('should read what the system tar writes, executable bits included', () => {
      const directory = mkdtempSync(join(tmpdir(), 'flotilla-tar-'));
      try {
        mkdirSync(join(directory, 'tpl', 'scripts'), { recursive: true });
        writeFileSync(join(directory, 'tpl', 'scripts', 'start.sh'), '#!/bin/sh\n', {
          mode: 0o755,
        });
        execFileSync('tar', ['-czf', join(directory, 't.tgz'), '-C', directory, 'tpl']);
        const entries = readArchive(
          't.tgz',
          readFileSync(join(directory, 't.tgz')),
          DEFAULT_ARCHIVE_LIMITS,
        );
        const script = entries.find((entry) => entry.path === 'tpl/scripts/start.sh');
        expect(script?.mode).to.equal(0o755);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    const hostile: [string, Buffer, string][] = [
      [
        'a parent segment',
        tarArchive([{ name: 'a/../../etc/passwd', data: 'x' }]),
        "t: entry 'a/../../etc/passwd' has a '..' segment",
      ],
      [
        'an absolute path',
        tarArchive([{ name: '/etc/passwd', data: 'x' }]),
        "t: entry '/etc/passwd' has an absolute or unsafe path",
      ],
      [
        'a symbolic link',
        tarArchive([{ name: 'link', type: '2', linkname: '/etc' }]),
        "t: entry 'link' is a link or special file (tar type '2'), which templates may not hold",
      ],
      [
        'a hard link',
        tarArchive([{ name: 'link', type: '1', linkname: 'a' }]),
        "t: entry 'link' is a link or special file (tar type '1'), which templates may not hold",
      ],
      [
        'a device',
        tarArchive([{ name: 'dev', type: '3' }]),
        "t: entry 'dev' is a link or special file (tar type '3'), which templates may not hold",
      ],
    ];
    for (const [what, buffer, message] of hostile) {
      it(`should refuse ${what}`, () => {
        expect(refusal(buffer)).to.equal(message);
      });
    }

    it('should refuse an oversize entry, too many entries and a corrupt header', () => {
      expect(refusal(tarArchive([{ name: 'big', data: 'x'.repeat(2000) }]), SMALL)).to.equal(
        "t: entry 'big' is 2000 bytes, more than 1024",
      );
      const many = tarArchive(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
      expect(refusal(many, SMALL)).to.equal('t: more than 5 entries');
      const corrupt = tarArchive([{ name: 'f', data: 'x' }]);
      corrupt[0] = 'g'.charCodeAt(0);
      expect(refusal(corrupt)).to.equal('t: tar header checksum mismatch (corrupt archive)');
      expect(
        refusal(tarArchive([{ name: 'f', data: 'x'.repeat(600) }]).subarray(0, 1024)),
      ).to.equal('t: truncated tar archive');
    });

    it('should refuse a gzip bomb beyond the total limit', () => {
      const bomb = gzipSync(tarArchive([{ name: 'zeros', data: Buffer.alloc(64 * 1024) }]));
      expect(refusal(bomb, SMALL)).to.match(
        /^t: cannot gunzip \(corrupt, or expands beyond 4096 bytes\)$/,
      );
    });
  });

  describe('zip', () => {
    it('should read stored and deflated entries and directories', () => {
      const zip = zipArchive([
        { name: 'tpl/', unixMode: 0o40755 },
        { name: 'tpl/a.txt', data: 'stored' },
        { name: 'tpl/b.txt', data: 'deflated '.repeat(50), deflate: true },
      ]);
      expect(contents(zip)).to.deep.equal([
        ['directory', 'tpl', ''],
        ['file', 'tpl/a.txt', 'stored'],
        ['file', 'tpl/b.txt', 'deflated '.repeat(50)],
      ]);
    });

    const hostile: [string, Buffer, string][] = [
      [
        'a parent segment',
        zipArchive([{ name: '../evil.sh', data: 'x' }]),
        "t: entry '../evil.sh' has a '..' segment",
      ],
      [
        'a backslash path',
        zipArchive([{ name: '..\\evil.sh', data: 'x' }]),
        "t: entry '..\\evil.sh' has an absolute or unsafe path",
      ],
      [
        'a drive letter',
        zipArchive([{ name: 'C:/evil.sh', data: 'x' }]),
        "t: entry 'C:/evil.sh' has an absolute or unsafe path",
      ],
      [
        'a symbolic link',
        zipArchive([{ name: 'link', data: '/etc', unixMode: 0o120777 }]),
        "t: entry 'link' is a symbolic link, which templates may not hold",
      ],
      [
        'an encrypted entry',
        zipArchive([{ name: 'secret', data: 'x', flags: 1 }]),
        "t: entry 'secret' is encrypted",
      ],
    ];
    for (const [what, buffer, message] of hostile) {
      it(`should refuse ${what}`, () => {
        expect(refusal(buffer)).to.equal(message);
      });
    }

    it('should refuse an entry declared or inflating beyond the entry limit', () => {
      expect(
        refusal(zipArchive([{ name: 'big', data: 'x'.repeat(2000), deflate: true }]), SMALL),
      ).to.equal("t: entry 'big' is 2000 bytes, more than 1024");
      const lying = zipArchive([{ name: 'bomb', data: Buffer.alloc(100_000), deflate: true }]);
      const directoryStart = lying.length - 22 - 46 - 'bomb'.length;
      lying.writeUInt32LE(10, directoryStart + 24);
      expect(refusal(lying, SMALL)).to.equal(
        "t: entry 'bomb': cannot inflate (corrupt or larger than 1024 bytes)",
      );
    });
  });

  it('should refuse what is not an archive', () => {
    expect(refusal(Buffer.from('VM {\n}\n'))).to.equal('t: not a zip, tar or tar.gz archive');
  });
});

describe('extractArchive', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'flotilla-extract-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('should write files inside the destination with executable bits kept', async () => {
    const archive = join(directory, 'tpl.zip');
    writeFileSync(
      archive,
      zipArchive([
        { name: 'graph/A/scripts/start.sh', data: '#!/bin/sh\n', unixMode: 0o100755 },
        { name: 'graph/main.graph', data: 'A {\n}\n' },
      ]),
    );
    await extractArchive(archive, join(directory, 'out'));
    expect(readFileSync(join(directory, 'out', 'graph', 'main.graph'), 'utf8')).to.equal(
      'A {\n}\n',
    );
    expect(
      statSync(join(directory, 'out', 'graph', 'A', 'scripts', 'start.sh')).mode & 0o777,
    ).to.equal(0o755);
    expect(statSync(join(directory, 'out', 'graph', 'main.graph')).mode & 0o777).to.equal(0o644);
  });

  it('should refuse an archive larger than the total limit before reading it', async () => {
    const archive = join(directory, 'big.tar');
    writeFileSync(archive, Buffer.alloc(5000));
    let message = '';
    await extractArchive(archive, join(directory, 'out'), SMALL).catch((error: unknown) => {
      message = error instanceof Error ? error.message : String(error);
    });
    expect(message).to.equal('big.tar: 5000 bytes, more than 4096');
  });
});
