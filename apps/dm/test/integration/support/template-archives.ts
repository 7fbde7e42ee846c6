import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The model library's fixture templates (read only). */
export const MODEL_FIXTURES = resolve(__dirname, '../../../../../libs/model/fixtures');

/** Packs a template directory as a .tar.gz archive, in memory. */
export async function tarGz(directory: string): Promise<Buffer> {
  const { stdout } = await run('tar', ['-C', directory, '-czf', '-', '.'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** A scratch copy of a fixture template that a test may edit, and its removal. */
export interface TemplateCopy {
  readonly directory: string;
  edit(file: string, change: (text: string) => string): Promise<void>;
  remove(): Promise<void>;
}

/** Copies a fixture template into a temp directory. */
export async function copyFixture(name: string): Promise<TemplateCopy> {
  const parent = await mkdtemp(join(tmpdir(), 'flotilla-dm-template-'));
  const directory = join(parent, name);
  await cp(join(MODEL_FIXTURES, name), directory, { recursive: true });
  return {
    directory,
    async edit(file, change) {
      const path = join(directory, file);
      await writeFile(path, change(await readFile(path, 'utf8')));
    },
    remove: () => rm(parent, { recursive: true, force: true }),
  };
}

/** Uploads a fixture template to a DM's API as the operator holding `token`. */
export async function uploadFixture(dmUrl: string, token: string, name: string): Promise<void> {
  const response = await fetch(`${dmUrl}/api/templates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip' },
    body: await tarGz(join(MODEL_FIXTURES, name)),
  });
  if (response.status !== 201) {
    throw new Error(`upload of fixture ${name}: HTTP ${response.status} ${await response.text()}`);
  }
}
