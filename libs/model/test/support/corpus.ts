import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file is libs/model/test/support/corpus.ts). */
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..', '..');

/**
 * Roboconf's own model files, kept beside the checkout (`../shared/roboconf-corpus`, see its
 * README), or where `FLOTILLA_ROBOCONF_CORPUS` points.
 */
export const ROBOCONF_CORPUS = resolve(
  process.env.FLOTILLA_ROBOCONF_CORPUS ??
    resolve(REPOSITORY_ROOT, '..', 'shared', 'roboconf-corpus'),
);

/** Whether the corpus is there: without it the compatibility suite fails with one clear test. */
export const HAS_ROBOCONF_CORPUS = existsSync(ROBOCONF_CORPUS);

/** The project's own fixture templates. */
export const MODEL_FIXTURES = resolve(REPOSITORY_ROOT, 'libs', 'model', 'fixtures');

/** The names of the files of a corpus directory ending with the extension, sorted. */
export function filesWith(directory: string, extension: string): string[] {
  if (!existsSync(directory)) {
    return [];
  }
  return readdirSync(directory)
    .filter((name) => name.endsWith(extension))
    .sort();
}

/** The sub-directories of a directory, as full paths, sorted. */
export function subdirectories(directory: string): string[] {
  if (!existsSync(directory)) {
    return [];
  }
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(directory, entry.name))
    .sort();
}
