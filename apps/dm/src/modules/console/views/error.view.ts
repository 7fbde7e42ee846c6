import type { DiagnosticView } from '../../templates/template-diagnostics';
import { html, type SafeHtml } from '../html';

/** Every diagnostic of a refused template, each as `file:line:column: message`. */
export function renderDiagnostics(diagnostics: readonly DiagnosticView[]): SafeHtml {
  return html`<ul class="diagnostics">
    ${diagnostics.map((diagnostic) => html`<li><code>${diagnostic.text}</code></li>`)}
  </ul>`;
}

/** The fragment shown where an action was refused: the message, and diagnostics if any. */
export function renderError(message: string, details: Readonly<Record<string, unknown>>): SafeHtml {
  const diagnostics = Array.isArray(details.diagnostics)
    ? (details.diagnostics as DiagnosticView[])
    : [];
  return html`<div class="card error" role="alert">
    <p><strong>${message}</strong></p>
    ${diagnostics.length > 0 ? renderDiagnostics(diagnostics) : ''}
  </div>`;
}
