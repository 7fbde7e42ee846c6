import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { MessagingError } from '../errors';
import {
  FILE_LOCK_RETRY_MS,
  FILE_LOCK_STALE_MS,
  FILE_LOCK_TIMEOUT_MS,
} from '../messaging.constants';

/**
 * Runs `task` while holding an exclusive lock file at `lockPath` (created with O_EXCL, so it works
 * across processes). A lock older than FILE_LOCK_STALE_MS is taken to be left by a crashed holder
 * and removed.
 * @throws MessagingError FILE_LOCK_TIMEOUT when the lock stays held past FILE_LOCK_TIMEOUT_MS.
 */
export async function withFileLock<T>(lockPath: string, task: () => Promise<T>): Promise<T> {
  await acquire(lockPath);
  try {
    return await task();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function acquire(lockPath: string): Promise<void> {
  const deadline = Date.now() + FILE_LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error: unknown) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) {
        throw error;
      }
    }
    await removeIfStale(lockPath);
    if (Date.now() > deadline) {
      throw new MessagingError(
        'FILE_LOCK_TIMEOUT',
        `${lockPath}: still locked after ${FILE_LOCK_TIMEOUT_MS} ms`,
        {
          file: lockPath,
        },
      );
    }
    await delay(FILE_LOCK_RETRY_MS);
  }
}

async function removeIfStale(lockPath: string): Promise<void> {
  try {
    const { mtimeMs } = await stat(lockPath);
    if (Date.now() - mtimeMs > FILE_LOCK_STALE_MS) {
      await rm(lockPath, { force: true });
    }
  } catch {
    // The holder released the lock between our attempt and this stat: simply retry.
  }
}
