import type { AuditEntry } from '../../audit/audit-entry';
import { html } from '../html';
import { renderPage, type PageSession } from './layout.view';

/** The audit log page: newest first, with every detail as JSON. */
export function renderAuditPage(session: PageSession, entries: readonly AuditEntry[]): string {
  return renderPage({
    title: 'Audit log',
    session,
    active: 'audit',
    body: html`<h1>Audit log</h1>
      <div class="table-wrap">
        <table id="audit">
          <thead>
            <tr>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            ${entries.map(
              (entry) =>
                html`<tr>
                  <td>${entry.at.toISOString()}</td>
                  <td>${entry.actor}</td>
                  <td>${entry.action}</td>
                  <td>${entry.target}</td>
                  <td><code>${JSON.stringify(entry.details)}</code></td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  });
}
