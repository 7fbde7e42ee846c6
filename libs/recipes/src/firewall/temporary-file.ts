import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes `content` to a file in a fresh private directory (0700 by mkdtemp, file 0600), runs
 * `use` with its path, then removes it. Firewall tools read their batches from such a file:
 * `nft -f -` opens /dev/stdin, which fails on the socket pair Node gives a child as stdin (ENXIO).
 */
export async function withTemporaryFile<T>(
  content: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-fw-'));
  try {
    const path = join(dir, 'batch');
    await writeFile(path, content, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
