import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/** The three-tier sample template of the model library (Db → App → Web, real TCP servers). */
export const THREE_TIER_DIR = resolve(__dirname, '../../../libs/model/fixtures/three-tier');

/** The bytes of a gzipped tar of a template directory, as an operator uploads it. */
export async function tarGzOf(directory: string): Promise<Buffer> {
  const { stdout } = await promisify(execFile)('tar', ['-czf', '-', '-C', directory, '.'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
