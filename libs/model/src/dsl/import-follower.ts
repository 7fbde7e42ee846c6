import { dirname, relative, resolve } from 'node:path';
import type { Diagnostic } from '../errors';
import type { SourcePosition } from '../model.types';
import { DiagnosticCollector } from './diagnostic-collector';
import { readModelFile } from './model-file.reader';
import type { RawImport } from './model-file.types';

/** Where to start reading model files and how to name them in diagnostics. */
export interface ImportFollowOptions {
  /** File names in diagnostics are relative to this directory (default: the entry file's). */
  readonly displayRoot?: string;
  /** Where the entry file was named (a descriptor line), for an unreadable entry file. */
  readonly entryPosition?: SourcePosition;
}

/** What a file parser gives back: its declarations, its imports and its diagnostics. */
export interface ParsedModelFile<T> {
  readonly declarations: T;
  readonly imports: readonly RawImport[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads and parses an entry file and every file it imports, transitively, each once; an import is
 * relative to the importing file, and an unreadable file is a diagnostic at the import line.
 */
export function followImports<T>(
  entryFile: string,
  options: ImportFollowOptions,
  parse: (text: string, label: string) => ParsedModelFile<T>,
): { files: T[]; diagnostics: readonly Diagnostic[] } {
  const root = options.displayRoot ?? dirname(entryFile);
  const collector = new DiagnosticCollector();
  const files: T[] = [];
  const visited = new Set<string>();
  const pending: { path: string; position?: SourcePosition }[] = [
    {
      path: resolve(entryFile),
      ...(options.entryPosition ? { position: options.entryPosition } : {}),
    },
  ];
  for (let next = pending.shift(); next; next = pending.shift()) {
    if (visited.has(next.path)) {
      continue;
    }
    visited.add(next.path);
    const label = relative(root, next.path) || next.path;
    const read = readModelFile(next.path, label, next.position);
    if ('diagnostic' in read) {
      collector.addAll([read.diagnostic]);
      continue;
    }
    const parsed = parse(read.text, label);
    collector.addAll(parsed.diagnostics);
    files.push(parsed.declarations);
    for (const item of parsed.imports) {
      pending.push({ path: resolve(dirname(next.path), item.uri), position: item.position });
    }
  }
  return { files, diagnostics: collector.diagnostics };
}
