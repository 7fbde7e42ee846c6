import { readFileSync, statSync } from 'node:fs';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../errors';
import type { SourcePosition } from '../model.types';
import { MAX_MODEL_FILE_BYTES } from './dsl.constants';

/** The text of a model file, or the diagnostic explaining why it could not be read. */
export type ModelFileRead = { readonly text: string } | { readonly diagnostic: Diagnostic };

/**
 * Reads a model file as UTF-8, refusing directories and files larger than a model file can be.
 * `position` is where the file was referred to (an import line, a descriptor entry).
 */
export function readModelFile(
  path: string,
  label: string,
  position?: SourcePosition,
): ModelFileRead {
  const where = position ?? { file: label, line: 1, column: 1 };
  try {
    const stats = statSync(path);
    if (!stats.isFile()) {
      return unreadable(`cannot read ${label}: not a regular file`, where);
    }
    if (stats.size > MAX_MODEL_FILE_BYTES) {
      return unreadable(
        `cannot read ${label}: ${stats.size} bytes, more than ${MAX_MODEL_FILE_BYTES}`,
        where,
      );
    }
    // A byte order mark (Windows editors) is not part of the first name.
    return { text: readFileSync(path, 'utf8').replace(/^\uFEFF/, '') };
  } catch (error: unknown) {
    return unreadable(`cannot read ${label}: ${describeFailure(error)}`, where);
  }
}

function unreadable(message: string, position: SourcePosition): ModelFileRead {
  return {
    diagnostic: { severity: 'error', code: DIAGNOSTIC_CODES.unreadableFile, message, position },
  };
}

const FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
};

function describeFailure(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  return FAILURES[code] ?? (error instanceof Error ? error.message : String(error));
}
