import { expect } from 'chai';
import type { Application } from '../../applications/application';
import type { InstanceView } from '../../applications/instances.service';
import { renderApplicationLive, renderRuns } from './application.view';

const HOSTILE = `"><img src=x onerror=alert(1)>`;

const APPLICATION: Application = {
  id: 'a1',
  name: `app${HOSTILE}`,
  templateName: 't',
  templateVersion: '1',
  bindings: {},
  instanceCount: 1,
  createdAt: new Date(0),
};

const INSTANCE: InstanceView = {
  id: 'i1',
  path: `/vm/${HOSTILE}`,
  name: HOSTILE,
  component: 'App',
  parentPath: '/vm',
  desiredState: 'deployed_started',
  actualState: 'problem',
  agentName: null,
  exports: {},
  lastFailure: { step: 'start', exitCode: 3, logTail: HOSTILE, at: '', failedIn: 'starting' },
  runsOn: `agent${HOSTILE}`,
  isAgentLost: true,
  agentless: null,
};

describe('renderApplicationLive', () => {
  const sut = renderApplicationLive({
    application: APPLICATION,
    instances: [INSTANCE],
    openPorts: new Map([[INSTANCE.path, [{ port: 8080, protocol: 'tcp' }]]]),
    svg: '<svg></svg>',
    agents: [],
  }).value;

  it('should escape instance paths, agent names and the application name everywhere', () => {
    expect(sut).not.to.include('<img');
    expect(sut).to.include('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(sut).to.include(`/console/applications/${encodeURIComponent(APPLICATION.name)}/`);
  });

  it('should show the state as text, the failed step with its exit code, the lost agent and the ports', () => {
    expect(sut).to.include('data-state="problem"').and.include('>problem<');
    expect(sut).to.include('start failed, exit code 3');
    expect(sut).to.include('(lost)');
    expect(sut).to.include('8080/tcp');
  });
});

describe('renderApplicationLive of an agentless root', () => {
  it('should show the SSH target and the serving proxy, escaped, and offer no agent binding', () => {
    const root: InstanceView = {
      ...INSTANCE,
      path: '/edge',
      parentPath: null,
      actualState: 'not_deployed',
      lastFailure: null,
      isAgentLost: false,
      runsOn: 'proxy-b',
      agentless: `deploy@${HOSTILE}:22`,
    };

    const sut = renderApplicationLive({
      application: APPLICATION,
      instances: [root],
      openPorts: new Map(),
      svg: '<svg></svg>',
      agents: ['proxy-a'],
    }).value;

    expect(sut).to.include('agentless <code>deploy@&quot;&gt;&lt;img');
    expect(sut).to.include('via proxy-b');
    expect(sut).not.to.include('data-bind-of');
  });
});

describe('renderRuns', () => {
  it('should show each run with its exit code and escaped log', () => {
    const sut = renderRuns(APPLICATION, INSTANCE.path, [
      {
        jobId: 'j1',
        step: 'start',
        attempt: 2,
        status: 'failed',
        agent: 'host',
        sentAt: null,
        exitCode: 3,
        logTail: `boom ${HOSTILE}`,
      },
    ]).value;
    expect(sut).to.include('<span class="exit-code">3</span>');
    expect(sut).to.include('boom &quot;&gt;&lt;img');
    expect(sut).not.to.include('<img');
  });

  it('should show the proxy set-up of an agentless run apart from the recipe output, escaped', () => {
    const sut = renderRuns(APPLICATION, INSTANCE.path, [
      {
        jobId: 'j2',
        step: 'deploy',
        attempt: 1,
        status: 'failed',
        agent: 'proxy-a',
        sentAt: null,
        exitCode: null,
        logTail: '',
        setup: {
          target: 'root@10.0.0.9:22',
          log: ['connecting to root@10.0.0.9:22'],
          failure: {
            phase: 'connect',
            code: 'SSH_HOST_KEY_MISMATCH',
            message: `refused ${HOSTILE}`,
          },
        },
      },
    ]).value;

    expect(sut).to.include('<pre class="log setup" title="proxy set-up on root@10.0.0.9:22">');
    expect(sut).to.include('FAILED SSH_HOST_KEY_MISMATCH: refused &quot;&gt;&lt;img');
    expect(sut).to.include('<pre class="log">(no output)</pre>');
    expect(sut).not.to.include('<img');
  });
});
