import { inflateRawSync } from 'node:zlib';
import {
  archiveError,
  ArchiveBudget,
  safeEntryPath,
  type ArchiveEntry,
  type ArchiveLimits,
} from './archive-entry';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_MARKER = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 1;
const UNIX_HOST = 3;
const FILE_TYPE_MASK = 0o170000;
const SYMLINK_TYPE = 0o120000;
const DEFAULT_MODE = 0o644;

interface CentralRecord {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
  readonly mode: number;
  readonly next: number;
}

/** True when the buffer starts like a zip archive (a local header or an empty archive). */
export function isZip(buffer: Buffer): boolean {
  return (
    buffer.length >= 4 && [LOCAL_HEADER, END_OF_CENTRAL_DIRECTORY].includes(buffer.readUInt32LE(0))
  );
}

function findEndRecord(archive: string, buffer: Buffer): number {
  const lowest = Math.max(0, buffer.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let offset = buffer.length - END_RECORD_SIZE; offset >= lowest; offset--) {
    if (buffer.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      return offset;
    }
  }
  throw archiveError(archive, 'not a zip archive (no end of central directory)');
}

function readCentralRecord(archive: string, buffer: Buffer, offset: number): CentralRecord {
  if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== CENTRAL_HEADER) {
    throw archiveError(archive, 'corrupt zip central directory');
  }
  const nameLength = buffer.readUInt16LE(offset + 28);
  const name = buffer.toString(
    'utf8',
    offset + 46,
    Math.min(buffer.length, offset + 46 + nameLength),
  );
  const host = buffer.readUInt16LE(offset + 4) >> 8;
  const unixMode = buffer.readUInt32LE(offset + 38) >>> 16;
  if (buffer.readUInt16LE(offset + 8) & ENCRYPTED_FLAG) {
    throw archiveError(archive, `entry '${name}' is encrypted`);
  }
  if (host === UNIX_HOST && (unixMode & FILE_TYPE_MASK) === SYMLINK_TYPE) {
    throw archiveError(archive, `entry '${name}' is a symbolic link, which templates may not hold`);
  }
  return {
    name,
    method: buffer.readUInt16LE(offset + 10),
    compressedSize: buffer.readUInt32LE(offset + 20),
    size: buffer.readUInt32LE(offset + 24),
    localOffset: buffer.readUInt32LE(offset + 42),
    mode: host === UNIX_HOST && (unixMode & 0o777) !== 0 ? unixMode & 0o777 : DEFAULT_MODE,
    next:
      offset +
      46 +
      nameLength +
      buffer.readUInt16LE(offset + 30) +
      buffer.readUInt16LE(offset + 32),
  };
}

function decompress(
  archive: string,
  record: CentralRecord,
  raw: Buffer,
  limits: ArchiveLimits,
): Buffer {
  if (record.method === STORED) {
    return raw;
  }
  if (record.method !== DEFLATED) {
    throw archiveError(
      archive,
      `entry '${record.name}': unsupported compression method ${record.method}`,
    );
  }
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, limits.maxEntryBytes) });
  } catch (error: unknown) {
    throw archiveError(
      archive,
      `entry '${record.name}': cannot inflate (corrupt or larger than ${limits.maxEntryBytes} bytes)`,
      error,
    );
  }
}

function readData(
  archive: string,
  buffer: Buffer,
  record: CentralRecord,
  limits: ArchiveLimits,
): Buffer {
  const local = record.localOffset;
  if (local + 30 > buffer.length || buffer.readUInt32LE(local) !== LOCAL_HEADER) {
    throw archiveError(archive, `entry '${record.name}': corrupt local header`);
  }
  const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
  if (start + record.compressedSize > buffer.length) {
    throw archiveError(archive, `entry '${record.name}': truncated data`);
  }
  const data = decompress(
    archive,
    record,
    buffer.subarray(start, start + record.compressedSize),
    limits,
  );
  if (data.length !== record.size) {
    throw archiveError(
      archive,
      `entry '${record.name}': ${data.length} bytes where the directory says ${record.size}`,
    );
  }
  return data;
}

/**
 * Reads a zip archive held in memory (stored and deflated entries, no zip64, no encryption).
 * Symbolic links, unsafe paths and oversize entries are refused.
 * @throws ModelError INVALID_ARCHIVE on any of these and on a corrupt archive.
 */
export function readZip(archive: string, buffer: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  const end = findEndRecord(archive, buffer);
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  if (offset === ZIP64_MARKER) {
    throw archiveError(archive, 'zip64 archives are not supported');
  }
  const budget = new ArchiveBudget(archive, limits);
  const entries: ArchiveEntry[] = [];
  for (let index = 0; index < count; index++) {
    const record = readCentralRecord(archive, buffer, offset);
    offset = record.next;
    budget.take(record.name, record.size);
    const path = safeEntryPath(archive, record.name);
    if (record.name.endsWith('/')) {
      entries.push({ path, kind: 'directory', data: Buffer.alloc(0), mode: record.mode });
    } else {
      entries.push({
        path,
        kind: 'file',
        data: readData(archive, buffer, record, limits),
        mode: record.mode,
      });
    }
  }
  return entries;
}
