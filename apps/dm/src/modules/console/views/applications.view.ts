import type { Application } from '../../applications/application';
import { ARCHIVE_FIELD, CONSOLE_PATH } from '../console.constants';
import { html, type SafeHtml } from '../html';
import { csrfField, renderPage, type PageSession } from './layout.view';

function applicationRow(session: PageSession, application: Application): SafeHtml {
  const path = `${CONSOLE_PATH}/applications/${encodeURIComponent(application.name)}`;
  return html`<tr data-application="${application.name}">
    <td><a href="${path}">${application.name}</a></td>
    <td>${application.templateName} ${application.templateVersion}</td>
    <td>${application.instanceCount}</td>
    <td>${application.createdAt.toISOString()}</td>
    <td>
      <form
        method="post"
        action="${path}/delete"
        onsubmit="return confirm('Delete this application and its instances?')"
      >
        ${csrfField(session)}<button class="danger" type="submit">Delete</button>
      </form>
    </td>
  </tr>`;
}

function createForm(): SafeHtml {
  return html`<form
    class="card"
    id="create-application"
    hx-post="${CONSOLE_PATH}/applications"
    hx-encoding="multipart/form-data"
    hx-target="#create-result"
  >
    <h2>New application from a template archive</h2>
    <label for="archive">Template archive (.zip, .tar.gz, .tar)</label>
    <input
      id="archive"
      name="${ARCHIVE_FIELD}"
      type="file"
      accept=".zip,.tar.gz,.tgz,.tar"
      required
    />
    <label for="app-name">Application name (the template's name if empty)</label>
    <input id="app-name" name="name" type="text" pattern="[A-Za-z0-9][A-Za-z0-9._-]*" />
    <p><button class="primary" type="submit">Upload and create</button></p>
    <div id="create-result" aria-live="polite"></div>
  </form>`;
}

/** The applications page: the list, with delete, and the create-from-archive form. */
export function renderApplicationsPage(
  session: PageSession,
  applications: readonly Application[],
): string {
  return renderPage({
    title: 'Applications',
    session,
    active: 'applications',
    body: html`<h1>Applications</h1>
      ${
        applications.length === 0
          ? html`<p>No application yet.</p>`
          : html`<div class="table-wrap">
              <table id="applications">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Template</th>
                    <th>Instances</th>
                    <th>Created</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${applications.map((application) => applicationRow(session, application))}
                </tbody>
              </table>
            </div>`
      }
      ${createForm()}`,
  });
}
