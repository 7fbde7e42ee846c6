import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  archiveError,
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveEntry,
  type ArchiveLimits,
} from './archive-entry';
import { isTar, readTar } from './tar-reader';
import { isZip, readZip } from './zip-reader';

const GZIP_MAGIC = [0x1f, 0x8b];
const ARCHIVE_NAME = /\.(zip|tar|tar\.gz|tgz)$/i;
const EXECUTABLE_BITS = 0o111;

/** True when a file name looks like a template archive (`.zip`, `.tar`, `.tar.gz`, `.tgz`). */
export function isArchiveName(path: string): boolean {
  return ARCHIVE_NAME.test(path);
}

/**
 * Reads the entries of a zip, tar or gzipped tar archive, recognised by content, not by name.
 * @throws ModelError INVALID_ARCHIVE when the archive is unknown, corrupt or breaks the limits.
 */
export function readArchive(
  name: string,
  buffer: Buffer,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): ArchiveEntry[] {
  if (isZip(buffer)) {
    return readZip(name, buffer, limits);
  }
  if (buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1]) {
    let tar: Buffer;
    try {
      tar = gunzipSync(buffer, {
        maxOutputLength: limits.maxTotalBytes + limits.maxEntries * 1024,
      });
    } catch (error: unknown) {
      throw archiveError(
        name,
        `cannot gunzip (corrupt, or expands beyond ${limits.maxTotalBytes} bytes)`,
        error,
      );
    }
    return readTar(name, tar, limits);
  }
  if (isTar(buffer)) {
    return readTar(name, buffer, limits);
  }
  throw archiveError(name, 'not a zip, tar or tar.gz archive');
}

/**
 * Extracts a template archive into a directory (created if needed): regular files and directories
 * only, every path checked to stay inside, executable bits kept.
 * @throws ModelError INVALID_ARCHIVE when the archive is refused or cannot be written out.
 */
export async function extractArchive(
  archivePath: string,
  destination: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<void> {
  const name = basename(archivePath);
  const size = (await stat(archivePath)).size;
  if (size > limits.maxTotalBytes) {
    throw archiveError(name, `${size} bytes, more than ${limits.maxTotalBytes}`);
  }
  const entries = readArchive(name, await readFile(archivePath), limits);
  await mkdir(destination, { recursive: true });
  for (const entry of entries) {
    const target = join(destination, entry.path);
    try {
      if (entry.kind === 'directory') {
        await mkdir(target, { recursive: true });
      } else {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, entry.data, { mode: entry.mode & EXECUTABLE_BITS ? 0o755 : 0o644 });
      }
    } catch (error: unknown) {
      throw archiveError(
        name,
        `cannot extract entry '${entry.path}': ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }
}
