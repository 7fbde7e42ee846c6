import type { Diagnostic, DiagnosticCode } from '../errors';
import type { SourcePosition } from '../model.types';

/** Collects diagnostics as a parser or loader keeps going after each problem. */
export class DiagnosticCollector {
  private readonly items: Diagnostic[] = [];

  /** Every diagnostic collected so far, in the order found. */
  get diagnostics(): readonly Diagnostic[] {
    return this.items;
  }

  /** Records an error. */
  error(code: DiagnosticCode, message: string, position?: SourcePosition): void {
    this.items.push({ severity: 'error', code, message, ...(position ? { position } : {}) });
  }

  /** Records a warning. */
  warning(code: DiagnosticCode, message: string, position?: SourcePosition): void {
    this.items.push({ severity: 'warning', code, message, ...(position ? { position } : {}) });
  }

  /** Appends diagnostics found elsewhere. */
  addAll(diagnostics: readonly Diagnostic[]): void {
    this.items.push(...diagnostics);
  }
}
