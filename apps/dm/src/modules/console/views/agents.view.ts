import type { Agent } from '../../agents/agent';
import { AGENTS_REFRESH_SECONDS, CONSOLE_PATH } from '../console.constants';
import { html, type SafeHtml } from '../html';
import { csrfField, renderPage, type PageSession } from './layout.view';

function agentPath(agent: Agent, action: string): string {
  return `${CONSOLE_PATH}/agents/${encodeURIComponent(agent.name)}/${action}`;
}

function actionForm(session: PageSession, agent: Agent, action: string, label: string): SafeHtml {
  const style = action === 'accept' ? 'primary' : 'danger';
  return html`<form method="post" action="${agentPath(agent, action)}">
    ${csrfField(session)}<button class="${style}" type="submit">${label}</button>
  </form>`;
}

function hostFacts(agent: Agent): SafeHtml {
  return html`<dl class="mono">
    ${Object.entries(agent.hostFacts).map(
      ([key, value]) =>
        html`<div>
          <dt>${key}</dt>
          <dd>${JSON.stringify(value)}</dd>
        </div>`,
    )}
  </dl>`;
}

function lastSeen(agent: Agent): string {
  return agent.lastSeenAt ? agent.lastSeenAt.toISOString() : 'never';
}

function pendingTable(session: PageSession, agents: readonly Agent[]): SafeHtml {
  if (agents.length === 0) {
    return html`<p>No agent is waiting.</p>`;
  }
  return html`<div class="table-wrap">
    <table id="pending-agents">
      <thead>
        <tr>
          <th>Name</th>
          <th>Host facts</th>
          <th>Thumbprint (compare with the agent's)</th>
          <th>Asked</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${agents.map(
          (agent) =>
            html`<tr data-agent="${agent.name}">
              <td>${agent.name}</td>
              <td>${hostFacts(agent)}</td>
              <td><code class="thumbprint">${agent.thumbprint}</code></td>
              <td>${agent.createdAt.toISOString()}</td>
              <td class="actions">
                ${actionForm(session, agent, 'accept', 'Accept')}
                ${actionForm(session, agent, 'reject', 'Reject')}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function knownTable(id: string, agents: readonly Agent[], withRevoke: boolean): SafeHtml {
  if (agents.length === 0) {
    return html`<p>None.</p>`;
  }
  return html`<div class="table-wrap">
    <table id="${id}">
      <thead>
        <tr>
          <th>Name</th>
          <th>Thumbprint</th>
          <th>Last seen</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${agents.map(
          (agent) =>
            html`<tr data-agent="${agent.name}">
              <td>${agent.name}</td>
              <td><code class="thumbprint">${agent.thumbprint}</code></td>
              <td>${lastSeen(agent)}</td>
              <td>
                ${withRevoke ? html`<a class="button" href="${agentPath(agent, 'revoke')}">Revoke…</a>` : ''}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The agents page: pending (to accept or reject), accepted, lost, revoked and rejected. */
export function renderAgentsPage(session: PageSession, agents: readonly Agent[]): string {
  const inState = (state: Agent['state']) => agents.filter((agent) => agent.state === state);
  const trusted = inState('trusted');
  return renderPage({
    title: 'Agents',
    session,
    active: 'agents',
    body: html`<h1>Agents</h1>
      <div
        id="agent-lists"
        hx-get="${CONSOLE_PATH}/agents"
        hx-select="#agent-lists"
        hx-target="this"
        hx-swap="outerHTML"
        hx-trigger="${`every ${AGENTS_REFRESH_SECONDS}s`}"
      >
        <h2>Pending</h2>
        ${pendingTable(session, inState('pending'))}
        <h2>Accepted</h2>
        ${knownTable(
          'accepted-agents',
          trusted.filter((agent) => !agent.isLost),
          true,
        )}
        <h2>Lost (accepted, no heartbeat)</h2>
        ${knownTable(
          'lost-agents',
          trusted.filter((agent) => agent.isLost),
          true,
        )}
        <h2>Revoked</h2>
        ${knownTable('revoked-agents', inState('revoked'), false)}
        <h2>Rejected</h2>
        ${knownTable('rejected-agents', inState('rejected'), false)}
      </div>`,
  });
}

/** The confirmation step before revoking an agent's trust. */
export function renderRevokePage(session: PageSession, agent: Agent): string {
  return renderPage({
    title: `Revoke ${agent.name}`,
    session,
    active: 'agents',
    body: html`<div class="card">
      <h1>Revoke agent ${agent.name}?</h1>
      <p>
        Its certificate <code class="thumbprint">${agent.thumbprint}</code> will no longer be
        trusted: the DM ignores its messages and sends it nothing.
      </p>
      <div class="actions">
        ${actionForm(session, agent, 'revoke', 'Yes, revoke')}
        <a class="button" href="${CONSOLE_PATH}/agents">Cancel</a>
      </div>
    </div>`,
  });
}
