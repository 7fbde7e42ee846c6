import { formatDiagnostic, type Diagnostic } from '@flotilla/model';

/** A diagnostic as the API returns it: structured, plus the `file:line:column: message` text. */
export interface DiagnosticView {
  readonly severity: Diagnostic['severity'];
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly text: string;
}

/** Shapes the model library's diagnostics for an API response. */
export function viewDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticView[] {
  return diagnostics.map((diagnostic) => ({
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
    ...(diagnostic.position
      ? {
          file: diagnostic.position.file,
          line: diagnostic.position.line,
          column: diagnostic.position.column,
        }
      : {}),
    text: formatDiagnostic(diagnostic),
  }));
}
