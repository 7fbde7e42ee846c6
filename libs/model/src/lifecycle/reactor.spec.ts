import { expect } from 'chai';
import { at, chainApplication, instance, startedChain } from './application.spec-helper';
import { FAILURE_LOG_TAIL_MAX_CHARS } from './lifecycle.constants';
import { LifecycleError } from './lifecycle.error';
import type {
  ApplicationSnapshot,
  LifecycleInput,
  LifecycleRequest,
  Reaction,
} from './lifecycle.types';
import { planRequest } from './planner';
import { react } from './reactor';

const AT = '2026-11-23T12:00:00.000Z';
const request = (application: ApplicationSnapshot, wanted: LifecycleRequest): Reaction =>
  react(application, { type: 'request', request: wanted });
const stepsOf = (reaction: Reaction): string[] =>
  reaction.steps.map((step) => `${step.kind} ${step.instancePath}`);
const stateOf = (reaction: Reaction, path: string): string | undefined =>
  reaction.application.runtime[path]?.state;
const failed = (
  instancePath: string,
  step: 'deploy' | 'start' | 'stop' | 'update',
  exitCode = 3,
): LifecycleInput => ({
  type: 'step-failed',
  instancePath,
  step,
  exitCode,
  logTail: `${step} went wrong`,
  at: AT,
});

/** The started chain plus a second Db on /vm4, started too. */
function chainWithTwoDbs(): ApplicationSnapshot {
  const chain = startedChain();
  return {
    ...chain,
    instances: [...chain.instances, instance('/vm4', 'VM'), instance('/vm4/db2', 'Db')],
    runtime: {
      ...chain.runtime,
      '/vm4': at('deployed_started'),
      '/vm4/db2': at('deployed_started'),
    },
    exports: { ...chain.exports, '/vm4/db2': { 'Db.ip': '10.0.0.4', 'Db.port': '3306' } },
  };
}

describe('react', () => {
  describe('failures', () => {
    it('should put a failed deploy back in not_deployed with the failure recorded, and not retry it', () => {
      const deploying = request(chainApplication(), {
        instancePath: '/vm2',
        targetState: 'deployed_started',
        scope: 'subtree',
      });
      expect(stepsOf(deploying)).to.deep.equal(['deploy /vm2']);

      const sut = react(deploying.application, failed('/vm2', 'deploy', 2));

      expect(sut.application.runtime['/vm2']).to.deep.equal({
        state: 'not_deployed',
        desiredState: 'deployed_started',
        failure: {
          step: 'deploy',
          exitCode: 2,
          logTail: 'deploy went wrong',
          at: AT,
          failedIn: 'deploying',
          revertedTo: 'not_deployed',
        },
      });
      expect(sut.transitions).to.deep.equal([
        { instancePath: '/vm2', from: 'deploying', to: 'not_deployed', event: 'deploy-failed' },
      ]);
      expect(sut.steps).to.deep.equal([]);
    });

    it('should run the failed step again only when a new request covers the instance', () => {
      const deploying = request(chainApplication(), {
        instancePath: '/vm2',
        targetState: 'deployed_stopped',
      });
      const failedOnce = react(deploying.application, failed('/vm2', 'deploy'));

      const sut = request(failedOnce.application, {
        instancePath: '/vm2',
        targetState: 'deployed_stopped',
      });

      expect(stepsOf(sut)).to.deep.equal(['deploy /vm2']);
      expect(sut.application.runtime['/vm2']).to.not.have.property('failure');
    });

    it('should let a stop of the parent retry a child whose stop failed', () => {
      const stopping = request(startedChain(), {
        instancePath: '/vm2/app',
        targetState: 'deployed_stopped',
      });
      const stuck = react(stopping.application, failed('/vm2/app/war', 'stop'));

      const sut = request(stuck.application, { instancePath: '/vm2', targetState: 'not_deployed' });

      expect(stepsOf(sut)).to.deep.equal(['stop /vm2/app/war']);
    });

    it('should put a failed start back in the stable state it left (unresolved), keeping the record', () => {
      const stopped = planRequest(startedChain(), {
        instancePath: '/vm1/db',
        targetState: 'deployed_stopped',
      });
      const restarting = request(stopped.application, {
        instancePath: '/vm1/db',
        targetState: 'deployed_started',
      });
      const dbStarted = react(restarting.application, {
        type: 'step-succeeded',
        instancePath: '/vm1/db',
        step: 'start',
      });
      expect(stepsOf(dbStarted)).to.deep.equal(['start /vm2/app']);

      const sut = react(dbStarted.application, failed('/vm2/app', 'start', 1));

      expect(stateOf(sut, '/vm2/app')).to.equal('unresolved');
      expect(sut.application.runtime['/vm2/app']?.failure).to.include({
        step: 'start',
        exitCode: 1,
        failedIn: 'starting',
        revertedTo: 'unresolved',
      });
      expect(sut.steps).to.deep.equal([]);
      expect(stateOf(sut, '/vm2/app/war')).to.equal('waiting_for_ancestor');
    });

    it('should keep an instance whose stop failed started, and not stop its parent', () => {
      const stopping = request(startedChain(), {
        instancePath: '/vm2/app',
        targetState: 'deployed_stopped',
      });
      expect(stepsOf(stopping)).to.deep.equal(['stop /vm2/app/war']);

      const sut = react(stopping.application, failed('/vm2/app/war', 'stop'));

      expect(stateOf(sut, '/vm2/app/war')).to.equal('deployed_started');
      expect(stateOf(sut, '/vm2/app')).to.equal('deployed_started');
      expect(sut.steps).to.deep.equal([]);
    });

    it('should keep only the end of a long log', () => {
      const deploying = request(chainApplication(), {
        instancePath: '/vm2',
        targetState: 'deployed_stopped',
      });
      const log = `${'x'.repeat(FAILURE_LOG_TAIL_MAX_CHARS)}the end`;

      const sut = react(deploying.application, {
        ...failed('/vm2', 'deploy'),
        logTail: log,
      } as LifecycleInput);

      const tail = sut.application.runtime['/vm2']?.failure?.logTail ?? '';
      expect(tail).to.have.length(FAILURE_LOG_TAIL_MAX_CHARS);
      expect(tail.endsWith('the end')).to.equal(true);
    });

    it('should record a failed update and keep the instance started', () => {
      const sut = react(startedChain(), failed('/vm2/app', 'update', 4));

      expect(stateOf(sut, '/vm2/app')).to.equal('deployed_started');
      expect(sut.application.runtime['/vm2/app']?.failure).to.include({
        step: 'update',
        exitCode: 4,
        revertedTo: 'deployed_started',
      });
    });
  });

  describe('update steps', () => {
    it('should update exactly the started importers of a new exporter when their imports stay complete', () => {
      const withDb2Stopped = chainWithTwoDbs();
      const starting = react(
        {
          ...withDb2Stopped,
          runtime: { ...withDb2Stopped.runtime, '/vm4/db2': at('starting', 'deployed_started') },
        },
        { type: 'step-succeeded', instancePath: '/vm4/db2', step: 'start' },
      );

      expect(stepsOf(starting)).to.deep.equal(['update /vm2/app']);
      expect(starting.steps[0]?.importChange).to.deep.equal({
        kind: 'added',
        exporterPath: '/vm4/db2',
        component: 'Db',
        updateStatus: 'DEPLOYED_STARTED',
        prefixes: ['Db'],
        variables: { 'Db.ip': '10.0.0.4', 'Db.port': '3306' },
        changedVariables: ['Db.ip', 'Db.port'],
      });
    });

    it('should update the importer when one of two exporters stops, and stop it when the last one does', () => {
      const oneStopped = planRequest(chainWithTwoDbs(), {
        instancePath: '/vm1/db',
        targetState: 'deployed_stopped',
      });
      expect(
        oneStopped.steps.map((step) => [step.kind, step.instancePath, step.importChange?.kind]),
      ).to.deep.equal([
        ['stop', '/vm1/db', undefined],
        ['update', '/vm2/app', 'removed'],
      ]);
      expect(oneStopped.steps[1]?.importChange).to.include({
        exporterPath: '/vm1/db',
        updateStatus: 'DEPLOYED_STOPPED',
      });

      const bothStopped = planRequest(oneStopped.application, {
        instancePath: '/vm4/db2',
        targetState: 'deployed_stopped',
      });

      expect(bothStopped.steps.filter((step) => step.kind === 'update')).to.deep.equal([]);
      expect(bothStopped.finalStates['/vm2/app']).to.equal('unresolved');
    });
  });

  describe('import changes during a start', () => {
    function appStartingWhileDb2Starts(): Reaction {
      const chain = chainWithTwoDbs();
      const application: ApplicationSnapshot = {
        ...chain,
        runtime: {
          ...chain.runtime,
          '/vm2/app': {
            state: 'starting',
            desiredState: 'deployed_started',
            previousStableState: 'deployed_stopped',
          },
          '/vm2/app/war': at('waiting_for_ancestor'),
          '/vm3/web': at('unresolved'),
          '/vm4/db2': {
            state: 'starting',
            desiredState: 'deployed_started',
            previousStableState: 'deployed_stopped',
          },
        },
      };
      return react(application, {
        type: 'step-succeeded',
        instancePath: '/vm4/db2',
        step: 'start',
      });
    }

    it('should keep the change for the starting instance and give it an update once its start succeeds', () => {
      const db2Started = appStartingWhileDb2Starts();
      expect(db2Started.steps).to.deep.equal([]);
      expect(db2Started.application.runtime['/vm2/app']?.pendingImportChanges).to.have.length(1);

      const sut = react(db2Started.application, {
        type: 'step-succeeded',
        instancePath: '/vm2/app',
        step: 'start',
      });

      expect(stepsOf(sut)).to.deep.equal([
        'start /vm2/app/war',
        'start /vm3/web',
        'update /vm2/app',
      ]);
      expect(sut.steps[2]?.importChange).to.include({ kind: 'added', exporterPath: '/vm4/db2' });
      expect(sut.application.runtime['/vm2/app']).to.not.have.property('pendingImportChanges');
    });

    it('should drop the kept changes when the start fails (the next start sees the imports afresh)', () => {
      const sut = react(appStartingWhileDb2Starts().application, failed('/vm2/app', 'start'));

      expect(sut.application.runtime['/vm2/app']).to.not.have.property('pendingImportChanges');
      expect(sut.steps).to.deep.equal([]);
    });
  });

  describe('exports', () => {
    it('should update the started importers, and only them, when an exporter reports new values', () => {
      const sut = react(startedChain(), {
        type: 'exports-changed',
        instancePath: '/vm1/db',
        values: { 'Db.ip': '10.0.0.99', 'Db.port': '3306' },
      });

      expect(stepsOf(sut)).to.deep.equal(['update /vm2/app']);
      expect(sut.steps[0]?.importChange).to.include({ kind: 'changed', exporterPath: '/vm1/db' });
      expect(sut.steps[0]?.importChange?.changedVariables).to.deep.equal(['Db.ip']);
      expect(sut.application.exports['/vm1/db']).to.deep.equal({
        'Db.ip': '10.0.0.99',
        'Db.port': '3306',
      });
    });
  });

  describe('other agents and lost agents', () => {
    it('should start an owned importer when another agent reports its exporter started, issuing steps only for owned instances', () => {
      const unresolved = chainApplication({
        '/vm1': at('deployed_started'),
        '/vm1/db': at('deployed_stopped', 'deployed_started'),
        '/vm2': at('deployed_started'),
        '/vm2/app': at('unresolved'),
        '/vm2/app/war': at('waiting_for_ancestor'),
      });
      const isOwned = (path: string): boolean => path.startsWith('/vm2');

      const sut = react(
        unresolved,
        { type: 'state-reported', instancePath: '/vm1/db', state: 'deployed_started' },
        { isOwned },
      );

      expect(stepsOf(sut)).to.deep.equal(['start /vm2/app']);
      const afterApp = react(
        sut.application,
        { type: 'step-succeeded', instancePath: '/vm2/app', step: 'start' },
        { isOwned },
      );
      expect(stepsOf(afterApp)).to.deep.equal(['start /vm2/app/war']);
    });

    it('should let a step reported running elsewhere fail back to the usual stable state', () => {
      const wanted = chainApplication({ '/vm1': at('deployed_stopped', 'deployed_started') });
      const reported = react(wanted, {
        type: 'state-reported',
        instancePath: '/vm1',
        state: 'starting',
      });

      const sut = react(reported.application, failed('/vm1', 'start'));

      expect(stateOf(sut, '/vm1')).to.equal('deployed_stopped');
    });

    it('should mark a lost agent subtree in problem and stop the importers elsewhere', () => {
      const sut = react(startedChain(), { type: 'agent-lost', instancePath: '/vm1' });

      expect(stateOf(sut, '/vm1')).to.equal('problem');
      expect(stateOf(sut, '/vm1/db')).to.equal('problem');
      expect(stepsOf(sut)).to.deep.equal(['stop /vm2/app/war']);
    });
  });

  it('should refuse a step result that does not fit the instance state, naming instance, state and request', () => {
    expect(() =>
      react(startedChain(), { type: 'step-succeeded', instancePath: '/vm2/app', step: 'start' }),
    )
      .to.throw(
        LifecycleError,
        'Instance /vm2/app: "start-succeeded" is illegal in state deployed_started',
      )
      .with.property('code', 'ILLEGAL_TRANSITION');
  });

  it('should leave its input untouched', () => {
    const application = startedChain();
    const copy = structuredClone(application);

    request(application, { instancePath: '/vm1', targetState: 'not_deployed' });

    expect(application).to.deep.equal(copy);
  });
});

describe('react on a snapshot it returned', () => {
  const startDb: LifecycleRequest = { instancePath: '/vm1/db', targetState: 'deployed_started' };
  const deployed: LifecycleInput = { type: 'step-succeeded', instancePath: '/vm1', step: 'deploy' };

  it('should give the same reaction whether it continues the engine that produced the snapshot or starts from a copy', () => {
    const first = request(chainApplication(), startDb);
    const copy = structuredClone(first.application);

    const continued = react(first.application, deployed);
    const fromCopy = react(copy, deployed);

    expect(continued).to.deep.equal(fromCopy);
    expect(stepsOf(continued)).to.deep.equal(['deploy /vm1/db']);
  });

  it('should give the same reaction to the same snapshot twice (the engine serves it once)', () => {
    const first = request(chainApplication(), startDb);

    const once = react(first.application, deployed);
    const twice = react(first.application, deployed);

    expect(twice).to.deep.equal(once);
    expect(stateOf(twice, '/vm1/db')).to.equal('deploying');
  });

  it('should not continue an engine that drove other instances for a caller that owns fewer', () => {
    const first = request(chainApplication(), startDb);
    const isOwned = (path: string): boolean => !path.startsWith('/vm1');

    const reaction = react(first.application, deployed, { isOwned });

    expect(stepsOf(reaction)).to.deep.equal([]);
    expect(stateOf(reaction, '/vm1')).to.equal('deployed_stopped');
  });
});
