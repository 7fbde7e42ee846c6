import type { SourcePosition } from './model.types';

/** How bad a diagnostic is: errors refuse a template, warnings are printed and tolerated. */
export type DiagnosticSeverity = 'error' | 'warning';

/** Stable codes of every problem the DSL parsers and loaders report. */
export const DIAGNOSTIC_CODES = {
  unreadableFile: 'UNREADABLE_FILE',
  syntax: 'SYNTAX_ERROR',
  unclosedBlock: 'UNCLOSED_BLOCK',
  oneStatementPerLine: 'ONE_STATEMENT_PER_LINE',
  mixedFileType: 'MIXED_FILE_TYPE',
  unknownProperty: 'UNKNOWN_PROPERTY',
  duplicateProperty: 'DUPLICATE_PROPERTY',
  emptyValue: 'EMPTY_VALUE',
  invalidName: 'INVALID_NAME',
  invalidInstaller: 'INVALID_INSTALLER',
  invalidVariable: 'INVALID_VARIABLE',
  invalidRandom: 'INVALID_RANDOM',
  duplicateComponent: 'DUPLICATE_COMPONENT',
  duplicateFacet: 'DUPLICATE_FACET',
  conflictingName: 'CONFLICTING_NAME',
  unknownComponent: 'UNKNOWN_COMPONENT',
  unknownFacet: 'UNKNOWN_FACET',
  unknownChild: 'UNKNOWN_CHILD',
  extendsCycle: 'EXTENDS_CYCLE',
  childrenCycle: 'CHILDREN_CYCLE',
  missingInstaller: 'MISSING_INSTALLER',
  unreachableComponent: 'UNREACHABLE_COMPONENT',
  orphanFacet: 'ORPHAN_FACET',
  unqualifiedImport: 'UNQUALIFIED_IMPORT',
  unresolvedImport: 'UNRESOLVED_IMPORT',
  selfImport: 'SELF_IMPORT',
  missingInstanceName: 'MISSING_INSTANCE_NAME',
  invalidCount: 'INVALID_COUNT',
  duplicateInstance: 'DUPLICATE_INSTANCE',
  rootNotTarget: 'ROOT_NOT_TARGET',
  invalidChildInstance: 'INVALID_CHILD_INSTANCE',
  missingExportValue: 'MISSING_EXPORT_VALUE',
  unknownInstanceProperty: 'UNKNOWN_INSTANCE_PROPERTY',
  missingDescriptor: 'MISSING_DESCRIPTOR',
  invalidDescriptor: 'INVALID_DESCRIPTOR',
  mavenPlaceholder: 'MAVEN_PLACEHOLDER',
  missingRecipes: 'MISSING_RECIPES',
  invalidArchive: 'INVALID_ARCHIVE',
} as const;

/** One of the stable diagnostic codes. */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[keyof typeof DIAGNOSTIC_CODES];

/** A problem found in a model file or template, positioned when it concerns a place in a file. */
export interface Diagnostic {
  readonly severity: DiagnosticSeverity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly position?: SourcePosition;
}

/** Formats a diagnostic as `file:line:column: message` (warnings say so after the position). */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const label = diagnostic.severity === 'warning' ? 'warning: ' : '';
  const where = diagnostic.position
    ? `${diagnostic.position.file}:${diagnostic.position.line}:${diagnostic.position.column}: `
    : '';
  return `${where}${label}${diagnostic.message}`;
}

/** Formats a position as `file:line:column`. */
export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

/** True when at least one diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/** Context carried by a {@link ModelError}. */
export interface ModelErrorContext {
  readonly file?: string;
  readonly cause?: unknown;
}

/** The base error of the model library: a stable code, the file concerned, the original cause. */
export class ModelError extends Error {
  override readonly name: string = 'ModelError';
  readonly file?: string;

  constructor(
    readonly code: string,
    message: string,
    context: ModelErrorContext = {},
  ) {
    super(message, { cause: context.cause });
    this.file = context.file;
  }
}

/** Sorts diagnostics by file, line and column (stable: unpositioned ones keep their place first). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (diagnostic: Diagnostic): [string, number, number] => [
    diagnostic.position?.file ?? '',
    diagnostic.position?.line ?? 0,
    diagnostic.position?.column ?? 0,
  ];
  return [...diagnostics].sort((left, right) => {
    const [fileA, lineA, columnA] = key(left);
    const [fileB, lineB, columnB] = key(right);
    return fileA.localeCompare(fileB) || lineA - lineB || columnA - columnB;
  });
}
