import { posix } from 'node:path';
import { RecipeError } from '../errors';
import { BUNDLE_FORMAT_VERSION } from '../recipes.constants';
import { BUNDLE_FOLDERS, digestBundle } from './recipe-bundle-packer';
import type { RecipeBundleDocument, RecipeBundleFile } from './recipe-bundle.types';

/**
 * Checks a received bundle's digest, then parses and validates it: a known format and version,
 * and only relative paths under `scripts/` or `files/` with no `..`, no absolute path, no NUL.
 * @throws RecipeError BUNDLE_DIGEST_MISMATCH, BUNDLE_MALFORMED or BUNDLE_INVALID_PATH.
 */
export function parseRecipeBundle(bytes: Buffer, expectedDigest: string): RecipeBundleDocument {
  const actual = digestBundle(bytes);
  if (actual !== expectedDigest.toLowerCase()) {
    throw new RecipeError(
      'BUNDLE_DIGEST_MISMATCH',
      `Recipe bundle digest mismatch: expected ${expectedDigest}, got ${actual}`,
      { field: 'digest' },
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error: unknown) {
    throw new RecipeError(
      'BUNDLE_MALFORMED',
      'Recipe bundle is not valid JSON',
      {},
      { cause: error },
    );
  }
  return validateDocument(document);
}

function validateDocument(value: unknown): RecipeBundleDocument {
  const doc = value as Partial<RecipeBundleDocument> | null;
  if (typeof doc !== 'object' || doc === null || doc.format !== 'flotilla-recipe-bundle') {
    throw malformed('format', 'is not "flotilla-recipe-bundle"');
  }
  if (doc.version !== BUNDLE_FORMAT_VERSION) {
    throw malformed('version', `is ${String(doc.version)}, expected ${BUNDLE_FORMAT_VERSION}`);
  }
  if (typeof doc.component !== 'string' || !Array.isArray(doc.files)) {
    throw malformed('component/files', 'are missing');
  }
  (doc.files as readonly unknown[]).forEach((file, index) => validateFile(file, index));
  return doc as RecipeBundleDocument;
}

function validateFile(value: unknown, index: number): void {
  const file = (value ?? {}) as Partial<RecipeBundleFile>;
  const field = `files[${index}]`;
  if (typeof file.path !== 'string' || typeof file.content !== 'string') {
    throw malformed(field, 'needs a string path and content');
  }
  if (file.mode !== 0o755 && file.mode !== 0o644) {
    throw malformed(`${field}.mode`, `is ${String(file.mode)}, expected 0o755 or 0o644`);
  }
  const normalized = posix.normalize(file.path);
  const isUnsafe =
    file.path.includes('\0') ||
    file.path.includes('\\') ||
    posix.isAbsolute(file.path) ||
    normalized !== file.path ||
    normalized.split('/').includes('..') ||
    !BUNDLE_FOLDERS.includes(normalized.split('/')[0]) ||
    normalized.split('/').length < 2;
  if (isUnsafe) {
    throw new RecipeError(
      'BUNDLE_INVALID_PATH',
      `Recipe bundle ${field}.path "${file.path}" must be a plain relative path under scripts/ or files/`,
      { field: `${field}.path` },
    );
  }
}

function malformed(field: string, problem: string): RecipeError {
  return new RecipeError('BUNDLE_MALFORMED', `Recipe bundle field ${field} ${problem}`, { field });
}
