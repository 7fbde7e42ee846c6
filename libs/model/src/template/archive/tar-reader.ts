import {
  archiveError,
  ArchiveBudget,
  safeEntryPath,
  type ArchiveEntry,
  type ArchiveLimits,
} from './archive-entry';

const BLOCK = 512;
const TYPE_OFFSET = 156;
const CHECKSUM_OFFSET = 148;
const CHECKSUM_LENGTH = 8;
const USTAR_MAGIC = 'ustar';
const FILE_TYPES = ['0', '\0', '7'];
const DIRECTORY_TYPE = '5';
const GNU_LONG_NAME = 'L';
const PAX_HEADER = 'x';
const PAX_GLOBAL = 'g';
const DEFAULT_MODE = 0o644;

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end < 0 ? field.length : end);
}

function octal(
  archive: string,
  block: Buffer,
  offset: number,
  length: number,
  what: string,
): number {
  const field = text(block, offset, length).trim();
  if (!/^[0-7]*$/.test(field)) {
    throw archiveError(archive, `invalid ${what} '${field}' in a tar header`);
  }
  return field === '' ? 0 : Number.parseInt(field, 8);
}

function checkChecksum(archive: string, block: Buffer): void {
  const expected = octal(archive, block, CHECKSUM_OFFSET, CHECKSUM_LENGTH, 'checksum');
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) {
    const inField = index >= CHECKSUM_OFFSET && index < CHECKSUM_OFFSET + CHECKSUM_LENGTH;
    sum += inField ? 0x20 : block[index];
  }
  if (sum !== expected) {
    throw archiveError(archive, 'tar header checksum mismatch (corrupt archive)');
  }
}

function paxPath(data: Buffer): string | undefined {
  // Records are "<length> <key>=<value>\n".
  for (const record of data.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) {
      return match[1];
    }
  }
  return undefined;
}

/** The entry name of a header, with the ustar prefix when there is one. */
function headerName(header: Buffer): string {
  const prefix = header.toString('latin1', 257, 262) === USTAR_MAGIC ? text(header, 345, 155) : '';
  return prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
}

/** True when the buffer starts with a ustar tar header. */
export function isTar(buffer: Buffer): boolean {
  return buffer.length >= BLOCK && buffer.toString('latin1', 257, 262) === USTAR_MAGIC;
}

/**
 * Reads a tar archive (ustar, GNU long names, pax paths) held in memory. Regular files and
 * directories only: links, devices and FIFOs are refused, as are unsafe paths and oversize entries.
 * @throws ModelError INVALID_ARCHIVE on any of these and on a corrupt or truncated archive.
 */
export function readTar(archive: string, buffer: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  const budget = new ArchiveBudget(archive, limits);
  const entries: ArchiveEntry[] = [];
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= buffer.length;) {
    const header = buffer.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) {
      break;
    }
    checkChecksum(archive, header);
    const size = octal(archive, header, 124, 12, 'size');
    const start = offset + BLOCK;
    if (start + size > buffer.length) {
      throw archiveError(archive, 'truncated tar archive');
    }
    const rawName = longName ?? headerName(header);
    const type = String.fromCharCode(header[TYPE_OFFSET]);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    budget.take(rawName, size);
    const data = buffer.subarray(start, start + size);
    if (type === GNU_LONG_NAME || type === PAX_HEADER) {
      longName = type === GNU_LONG_NAME ? text(data, 0, data.length) : paxPath(data);
      continue;
    }
    longName = undefined;
    if (type === PAX_GLOBAL) {
      continue;
    }
    const path = safeEntryPath(archive, rawName);
    if (!FILE_TYPES.includes(type) && type !== DIRECTORY_TYPE) {
      throw archiveError(
        archive,
        `entry '${rawName}' is a link or special file (tar type '${type}'), which templates may not hold`,
      );
    }
    const mode = octal(archive, header, 100, 8, 'mode') & 0o777;
    const kind = type === DIRECTORY_TYPE ? 'directory' : 'file';
    entries.push({ path, kind, data, mode: mode === 0 ? DEFAULT_MODE : mode });
  }
  return entries;
}
