import { CONSOLE_PATH, CSRF_FIELD, CSRF_HEADER } from '../console.constants';
import { html, trusted, type SafeHtml } from '../html';
import type { Operator } from '../../auth/operator';

/** The signed-in part of a page: who, and the CSRF token every action carries. */
export interface PageSession {
  readonly operator: Operator;
  readonly csrfToken: string;
}

/** The sections of the navigation bar. */
export type ConsoleSection = 'agents' | 'applications' | 'audit';

const SECTIONS: readonly { section: ConsoleSection; title: string }[] = [
  { section: 'applications', title: 'Applications' },
  { section: 'agents', title: 'Agents' },
  { section: 'audit', title: 'Audit log' },
];

/** htmx swaps error responses too, so refusals (422, 403, 409) show where the action was made. */
const HTMX_CONFIG = JSON.stringify({
  responseHandling: [
    { code: '204', swap: false },
    { code: '...', swap: true },
  ],
});

/** The hidden CSRF field for plain forms. */
export function csrfField(session: PageSession): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrfToken}" />`;
}

function navigation(session: PageSession, active: ConsoleSection | undefined): SafeHtml {
  return html`<header>
    <strong>Flotilla</strong>
    <nav>
      ${SECTIONS.map(
        ({ section, title }) =>
          html`<a
            href="${CONSOLE_PATH}/${section}"
            ${trusted(section === active ? 'aria-current="page"' : '')}
            >${title}</a
          >`,
      )}
    </nav>
    <form method="post" action="${CONSOLE_PATH}/logout">
      ${csrfField(session)}<span>${session.operator.username}</span>
      <button type="submit">Log out</button>
    </form>
  </header>`;
}

/** A whole console page; the CSRF token is sent by htmx on every request through `hx-headers`. */
export function renderPage(options: {
  title: string;
  body: SafeHtml;
  session?: PageSession;
  active?: ConsoleSection;
}): string {
  const { session } = options;
  const headers = session ? JSON.stringify({ [CSRF_HEADER]: session.csrfToken }) : '{}';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content="${HTMX_CONFIG}" />
        <title>${options.title} · Flotilla</title>
        <link rel="stylesheet" href="${CONSOLE_PATH}/assets/console.css" />
        <script src="${CONSOLE_PATH}/assets/htmx.min.js"></script>
        <script src="${CONSOLE_PATH}/assets/sse.js"></script>
      </head>
      <body hx-headers="${headers}">
        ${session ? navigation(session, options.active) : ''}
        <main>${options.body}</main>
      </body>
    </html>`.value;
}
