import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';

/** The largest archive the CLI packs in memory (the DM refuses larger uploads anyway). */
const MAX_PACKED_BYTES = 64 * 1024 * 1024;

/** A template ready to upload: its bytes and the content type to send them with. */
export interface TemplateUpload {
  readonly bytes: Buffer;
  readonly contentType: string;
}

/**
 * Reads a template archive as is, or packs a template directory into a tar.gz (the system `tar`,
 * run without a shell, from inside the directory so that the archive root is the template root).
 */
export async function templateUploadOf(path: string): Promise<TemplateUpload> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    return { bytes: await readFile(path), contentType: 'application/octet-stream' };
  }
  const { stdout } = await promisify(execFile)('tar', ['-czf', '-', '-C', path, '.'], {
    encoding: 'buffer',
    maxBuffer: MAX_PACKED_BYTES,
  });
  return { bytes: stdout, contentType: 'application/gzip' };
}
