import { ModelError } from '../../errors';

/** A file or directory read from a template archive, its path checked to stay inside the archive. */
export interface ArchiveEntry {
  readonly path: string;
  readonly kind: 'file' | 'directory';
  readonly data: Buffer;
  /** Unix permission bits (0o644 when the archive records none). */
  readonly mode: number;
}

/** Bounds on what an uploaded archive may hold: a template upload is hostile input. */
export interface ArchiveLimits {
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
}

/** Default bounds: 32 MiB per entry, 256 MiB in all, 10,000 entries. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
};

/** The code of every archive error. */
export const INVALID_ARCHIVE = 'INVALID_ARCHIVE';

/** Builds the error thrown for a bad archive entry, naming the archive and the entry. */
export function archiveError(archive: string, message: string, cause?: unknown): ModelError {
  return new ModelError(INVALID_ARCHIVE, `${archive}: ${message}`, { file: archive, cause });
}

/**
 * Normalizes an entry path (`./a//b` → `a/b`), refusing absolute paths, drive letters, backslashes,
 * NUL bytes and `..` segments; returns '' for the archive root itself.
 * @throws ModelError INVALID_ARCHIVE when the path could escape the extraction directory.
 */
export function safeEntryPath(archive: string, raw: string): string {
  if (raw.includes('\0') || raw.includes('\\') || raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    throw archiveError(
      archive,
      `entry '${raw.replace(/\0/g, '\\0')}' has an absolute or unsafe path`,
    );
  }
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    throw archiveError(archive, `entry '${raw}' has a '..' segment`);
  }
  return segments.join('/');
}

/** Tracks entry count and total size against the limits while an archive is read. */
export class ArchiveBudget {
  private entries = 0;
  private bytes = 0;

  constructor(
    private readonly archive: string,
    private readonly limits: ArchiveLimits,
  ) {}

  /** Counts one entry of `size` bytes named `path`.
   * @throws ModelError INVALID_ARCHIVE when a limit is passed. */
  take(path: string, size: number): void {
    this.entries++;
    this.bytes += size;
    if (this.entries > this.limits.maxEntries) {
      throw archiveError(this.archive, `more than ${this.limits.maxEntries} entries`);
    }
    if (size > this.limits.maxEntryBytes) {
      throw archiveError(
        this.archive,
        `entry '${path}' is ${size} bytes, more than ${this.limits.maxEntryBytes}`,
      );
    }
    if (this.bytes > this.limits.maxTotalBytes) {
      throw archiveError(this.archive, `entries hold more than ${this.limits.maxTotalBytes} bytes`);
    }
  }
}
