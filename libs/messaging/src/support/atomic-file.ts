import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../messaging.constants';

/**
 * Writes a private (0600) file atomically: a sibling temp file is written, flushed to disk, then
 * renamed over the target, so a crash leaves either the old or the new content, never a mix.
 */
export async function writePrivateFileAtomic(
  path: string,
  content: string | Buffer,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error: unknown) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Tells whether an error thrown by node:fs means "no such file". */
export function isFileMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
