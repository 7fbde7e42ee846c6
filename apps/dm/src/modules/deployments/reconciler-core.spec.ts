import { resolve } from 'node:path';
import { expect } from 'chai';
import {
  loadTemplate,
  type ApplicationSnapshot,
  type ApplicationTemplate,
  type LifecycleStep,
} from '@flotilla/model';
import type { ApplicationState } from './application-state';
import type { StepCommand } from './commands.repository';
import { settle } from './lifecycle-settler';
import { buildStepRun } from './step-run.builder';

const THREE_TIER = resolve(__dirname, '../../../../../libs/model/fixtures/three-tier');

async function threeTier(): Promise<ApplicationTemplate> {
  const { template, diagnostics } = await loadTemplate(THREE_TIER);
  if (template === undefined) {
    throw new Error(diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
  }
  return template;
}

function snapshotOf(template: ApplicationTemplate): ApplicationSnapshot {
  return { graph: template.graph, instances: template.instances, runtime: {}, exports: {} };
}

function stateOf(snapshot: ApplicationSnapshot): ApplicationState {
  return {
    id: 'app-id',
    name: 'shop',
    templateId: 'template-id',
    template: { name: 'three-tier', version: '1.0.0' },
    instances: [],
    snapshot,
  };
}

function commandFor(step: LifecycleStep): StepCommand {
  return {
    id: 'command-id',
    jobId: '6f1c1d9e-8a53-4a64-9c55-0d1d3a4ad1a1',
    applicationId: 'app-id',
    instanceId: 'instance-id',
    instancePath: step.instancePath,
    step: step.kind,
    attempt: 1,
    status: 'queued',
    agentName: 'db-host',
    details: step,
    sentAt: null,
    result: null,
  };
}

describe('settle', () => {
  it('should complete the target roots at once and leave only the agents their deploy steps when deploying all', async () => {
    const template = await threeTier();

    const sut = settle(snapshotOf(template), {
      type: 'request',
      request: { instancePath: '/db-vm', targetState: 'deployed_started', scope: 'subtree' },
    });

    expect(sut.snapshot.runtime['/db-vm']?.state).to.equal('deployed_started');
    expect(sut.agentSteps.map((step) => `${step.kind} ${step.instancePath}`)).to.deep.equal([
      'deploy /db-vm/db',
    ]);
  });

  it('should hold the importer back until its exporter is started', async () => {
    const template = await threeTier();
    const requested = settle(snapshotOf(template), {
      type: 'request',
      request: { instancePath: '/app-vm', targetState: 'deployed_started', scope: 'subtree' },
    });

    const deployed = settle(requested.snapshot, {
      type: 'step-succeeded',
      instancePath: '/app-vm/app',
      step: 'deploy',
    });

    expect(deployed.agentSteps).to.deep.equal([]);
    expect(deployed.snapshot.runtime['/app-vm/app']?.state).to.equal('unresolved');
  });
});

describe('buildStepRun', () => {
  it('should carry the started exporters as imports and the parent as an ancestor when building a start', async () => {
    const template = await threeTier();
    const snapshot: ApplicationSnapshot = {
      ...snapshotOf(template),
      runtime: {
        '/db-vm': { state: 'deployed_started', desiredState: 'deployed_started' },
        '/db-vm/db': { state: 'deployed_started', desiredState: 'deployed_started' },
        '/app-vm': { state: 'deployed_started', desiredState: 'deployed_started' },
        '/app-vm/app': { state: 'starting', desiredState: 'deployed_started' },
      },
      exports: {
        '/db-vm/db': {
          'Database.ip': '10.0.0.2',
          'Database.port': '15432',
          'Database.name': 'inventory',
        },
        '/app-vm/app': { 'AppServer.port': '18080' },
      },
    };
    const step: LifecycleStep = {
      kind: 'start',
      instancePath: '/app-vm/app',
      component: 'AppServer',
      installer: 'script',
      cause: 'start',
    };

    const sut = buildStepRun(stateOf(snapshot), commandFor(step), undefined);

    expect(sut.imports.Database).to.deep.equal([
      {
        instancePath: '/db-vm/db',
        variables: {
          'Database.ip': '10.0.0.2',
          'Database.port': '15432',
          'Database.name': 'inventory',
        },
      },
    ]);
    expect(sut.ancestors.map((ancestor) => ancestor.component)).to.deep.equal(['VM']);
    expect(sut).to.include({ application: 'shop', step: 'start', attempt: 1 });
    expect(sut.instance).to.deep.equal({
      name: 'app',
      path: '/app-vm/app',
      component: 'AppServer',
      installer: 'script',
    });
  });
});
