import type { RequestableState } from '@flotilla/model';
import type { Application } from '../../applications/application';
import type { InstanceView } from '../../applications/instances.service';
import type { StepRun } from '../../deployments/deployments.service';
import { CONSOLE_PATH } from '../console.constants';
import { html, trusted, type SafeHtml } from '../html';
import type { OpenPort } from '../open-ports.repository';
import { styleOfState } from '../state-style';
import { renderPage, type PageSession } from './layout.view';

/** The four lifecycle actions and the state each one asks for. */
export const INSTANCE_ACTIONS: readonly { action: string; state: RequestableState }[] = [
  { action: 'deploy', state: 'deployed_stopped' },
  { action: 'start', state: 'deployed_started' },
  { action: 'stop', state: 'deployed_stopped' },
  { action: 'undeploy', state: 'not_deployed' },
];

/** What the live part of the application page shows. */
export interface ApplicationLiveView {
  readonly application: Application;
  readonly instances: readonly InstanceView[];
  readonly openPorts: ReadonlyMap<string, readonly OpenPort[]>;
  readonly svg: string;
  /** The accepted agents, to bind root instances to. */
  readonly agents: readonly string[];
}

function basePath(application: Application): string {
  return `${CONSOLE_PATH}/applications/${encodeURIComponent(application.name)}`;
}

/** A state as text in a badge coloured like the tree node. */
export function stateBadge(state: string): SafeHtml {
  const style = styleOfState(state);
  return html`<span
    class="state"
    data-state="${state}"
    style="${`background:${style.fill};color:${style.text}`}"
    >${style.label}</span
  >`;
}

function actionForm(view: ApplicationLiveView, instance: InstanceView): SafeHtml {
  return html`<form
    class="actions"
    hx-post="${basePath(view.application)}/desired-state"
    hx-swap="none"
    data-actions-of="${instance.path}"
  >
    <input type="hidden" name="path" value="${instance.path}" />
    <select name="state" aria-label="Action on ${instance.path}">
      ${INSTANCE_ACTIONS.map(
        ({ action, state }) =>
          html`<option value="${state}" data-action="${action}">${action}</option>`,
      )}
    </select>
    <select name="scope" aria-label="Scope of the action on ${instance.path}">
      <option value="subtree">with its children</option>
      <option value="instance">this instance only</option>
    </select>
    <button type="submit">Apply</button>
  </form>`;
}

/** Root instances that are not deployed may be (re)bound to an accepted agent. */
/** Where an instance runs: its agent, or its agentless target and the proxy serving it. */
function agentOf(instance: InstanceView): SafeHtml | string {
  if (instance.agentless === null) {
    return instance.runsOn ?? 'no agent';
  }
  return html`agentless <code>${instance.agentless}</code><br /><small
      >via ${instance.runsOn ?? 'no proxy yet'}</small
    >`;
}

function bindForm(view: ApplicationLiveView, instance: InstanceView): SafeHtml {
  if (
    instance.parentPath !== null ||
    instance.actualState !== 'not_deployed' ||
    instance.agentless !== null
  ) {
    return html``;
  }
  return html`<form
    class="actions"
    hx-post="${basePath(view.application)}/bind-agent"
    hx-swap="none"
    data-bind-of="${instance.path}"
  >
    <input type="hidden" name="path" value="${instance.path}" />
    <select name="agent" aria-label="Agent for ${instance.path}">
      ${view.agents.map(
        (agent) =>
          html`<option value="${agent}" ${trusted(agent === instance.agentName ? 'selected' : '')}>
            ${agent}
          </option>`,
      )}
    </select>
    <button type="submit">Bind</button>
  </form>`;
}

/** The last failed step of an instance (kept until it succeeds again), as one line of text. */
function failureNote(instance: InstanceView): SafeHtml {
  const failure = instance.lastFailure;
  if (failure === null) {
    return html``;
  }
  const step = typeof failure.step === 'string' ? failure.step : 'a step';
  const exitCode = typeof failure.exitCode === 'number' ? failure.exitCode : 'none';
  return html`<br /><small class="error" data-failure="${step}"
      >${step} failed, exit code ${exitCode}</small
    >`;
}

function instanceRow(view: ApplicationLiveView, instance: InstanceView): SafeHtml {
  const ports = view.openPorts.get(instance.path) ?? [];
  const logsUrl = `${basePath(view.application)}/logs?path=${encodeURIComponent(instance.path)}`;
  return html`<tr data-path="${instance.path}">
    <td><code>${instance.path}</code><br />${instance.component}</td>
    <td>
      ${stateBadge(instance.actualState)}<br /><small
        >wanted: ${styleOfState(instance.desiredState).label}</small
      >
      ${failureNote(instance)}
    </td>
    <td>
      ${agentOf(instance)}${instance.isAgentLost ? html` <strong class="error">(lost)</strong>` : ''}
      ${bindForm(view, instance)}
    </td>
    <td class="mono">
      ${ports.length === 0 ? 'none' : ports.map((p) => `${p.port}/${p.protocol}`).join(', ')}
    </td>
    <td>${actionForm(view, instance)}</td>
    <td>
      <button type="button" hx-get="${logsUrl}" hx-target="#logs" data-logs="${instance.path}">
        Logs
      </button>
    </td>
  </tr>`;
}

/** The part of the page SSE refreshes: the SVG and the instances table. */
export function renderApplicationLive(view: ApplicationLiveView): SafeHtml {
  return html`<div class="tree">${trusted(view.svg)}</div>
    <div class="table-wrap">
      <table id="instances">
        <thead>
          <tr>
            <th>Instance</th>
            <th>State</th>
            <th>Agent</th>
            <th>Open ports</th>
            <th>Actions</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${view.instances.map((instance) => instanceRow(view, instance))}
        </tbody>
      </table>
    </div>`;
}

function bulkButtons(application: Application): SafeHtml {
  return html`<div class="actions">
    ${INSTANCE_ACTIONS.map(
      ({ action, state }) =>
        html`<button
          type="button"
          class="primary"
          hx-post="${basePath(application)}/desired-state"
          hx-vals="${JSON.stringify({ state })}"
          hx-swap="none"
          data-bulk="${action}"
        >
          ${action} all
        </button>`,
    )}
  </div>`;
}

/** The application page: live tree and instances (refreshed on SSE events), actions, logs panel. */
export function renderApplicationPage(session: PageSession, view: ApplicationLiveView): string {
  const base = basePath(view.application);
  return renderPage({
    title: view.application.name,
    session,
    active: 'applications',
    body: html`<h1>Application ${view.application.name}</h1>
      <p>
        Template ${view.application.templateName} ${view.application.templateVersion}. Solid lines:
        parent → child; dashed arrows: importer → exporter.
      </p>
      ${bulkButtons(view.application)}
      <div class="split">
        <section hx-ext="sse" sse-connect="${base}/events">
          <div
            id="live"
            hx-get="${base}/live"
            hx-trigger="sse:state, refresh from:body"
            hx-sync="this:replace"
          >
            ${renderApplicationLive(view)}
          </div>
        </section>
        <section>
          <h2>Recipe runs</h2>
          <div id="logs"><p>Choose an instance's Logs.</p></div>
        </section>
      </div>`,
  });
}

/** The recipe runs of one instance, newest first, with exit codes and log tails. */
/** An agentless run's proxy set-up (and hand-over), shown apart from the recipe's output. */
function setupBlock(run: StepRun): SafeHtml | string {
  const setup = run.setup;
  if (setup === undefined) {
    return '';
  }
  const lines = [
    ...setup.log,
    ...(setup.failure ? [`FAILED ${setup.failure.code}: ${setup.failure.message}`] : []),
    ...(setup.handedOver ? [`handed over: ${setup.handedOver}`] : []),
  ];
  return html`<pre class="log setup" title="proxy set-up on ${setup.target}">
${lines.join('\n')}</pre>`;
}

export function renderRuns(
  application: Application,
  path: string,
  runs: readonly StepRun[],
): SafeHtml {
  const outputUrl = `${basePath(application)}/output?path=${encodeURIComponent(path)}`;
  return html`<div class="card" data-runs="${path}">
    <h3><code>${path}</code></h3>
    <h4>Live output</h4>
    <pre
      class="log live-output"
      hx-ext="sse"
      sse-connect="${outputUrl}"
      sse-swap="output"
      hx-swap="beforeend"
    ></pre>
    ${runs.length === 0 ? html`<p>No recipe run yet.</p>` : ''}
    ${runs.map(
      (run) =>
        html`<article class="run" data-job="${run.jobId}">
          <p>
            <strong>${run.step}</strong> attempt ${run.attempt}: ${run.status}, exit code
            <span class="exit-code">${run.exitCode ?? 'none'}</span>, agent ${run.agent ?? 'none'},
            sent ${run.sentAt ?? 'not yet'}
          </p>
          ${setupBlock(run)}
          <pre class="log">${run.logTail || '(no output)'}</pre>
        </article>`,
    )}
  </div>`;
}
