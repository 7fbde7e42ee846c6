import type { SourcePosition } from '../model.types';

/** A `key = value` entry of a Java properties file, with where its key starts. */
export interface PropertyEntry {
  readonly value: string;
  readonly position: SourcePosition;
}

const CONTINUATION = /(?<!\\)(\\\\)*\\$/;

/**
 * Parses Java properties text (Roboconf's `application.properties`): `#`/`!` comments, `=`, `:` or
 * whitespace separators, lines continued with a trailing backslash. The last value of a key wins.
 */
export function parseProperties(text: string, file: string): Map<string, PropertyEntry> {
  const entries = new Map<string, PropertyEntry>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const start = lines[index];
    const trimmed = start.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) {
      continue;
    }
    const position = { file, line: index + 1, column: start.length - trimmed.length + 1 };
    let logical = trimmed;
    while (CONTINUATION.test(logical) && index + 1 < lines.length) {
      index++;
      logical = logical.slice(0, -1) + lines[index].trimStart();
    }
    const separator = logical.search(/[=:]|\s/);
    const key = separator < 0 ? logical : logical.slice(0, separator);
    const rest = separator < 0 ? '' : logical.slice(separator).replace(/^\s*[=:]?\s*/, '');
    entries.set(key, { value: rest.trim(), position });
  }
  return entries;
}
