import { crc32, deflateRawSync } from 'node:zlib';

/** One tar entry to write: a regular file unless `type` says otherwise ('5' directory, '2' symlink...). */
export interface TarEntrySpec {
  readonly name: string;
  readonly data?: string | Buffer;
  readonly type?: string;
  readonly mode?: number;
  readonly linkname?: string;
}

const BLOCK = 512;

function octalField(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** Writes one ustar header and its padded data, hostile names included, for reader tests. */
export function tarEntry(spec: TarEntrySpec): Buffer {
  const data = Buffer.from(spec.data ?? '');
  const header = Buffer.alloc(BLOCK);
  header.write(spec.name, 0, 100, 'utf8');
  header.write(octalField(spec.mode ?? 0o644, 8), 100, 'latin1');
  header.write(octalField(0, 8), 108, 'latin1');
  header.write(octalField(0, 8), 116, 'latin1');
  header.write(octalField(data.length, 12), 124, 'latin1');
  header.write(octalField(0, 12), 136, 'latin1');
  header.write(' '.repeat(8), 148, 'latin1');
  header.write(spec.type ?? '0', 156, 'latin1');
  header.write(spec.linkname ?? '', 157, 100, 'utf8');
  header.write('ustar\0' + '00', 257, 'latin1');
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const padding = Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK);
  return Buffer.concat([header, data, padding]);
}

/** A whole tar archive: the entries then the two zero blocks that end it. */
export function tarArchive(entries: readonly TarEntrySpec[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), Buffer.alloc(2 * BLOCK)]);
}

/** One zip entry to write; `unixMode` sets the Unix file type and permissions. */
export interface ZipEntrySpec {
  readonly name: string;
  readonly data?: string | Buffer;
  readonly deflate?: boolean;
  readonly unixMode?: number;
  readonly flags?: number;
}

/** Writes a zip archive (local headers, central directory, end record) for reader tests. */
export function zipArchive(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? '');
    const stored = entry.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.unixMode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
