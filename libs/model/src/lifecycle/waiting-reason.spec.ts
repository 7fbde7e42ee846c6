import { expect } from 'chai';
import { at, chainApplication, startedChain } from './application.spec-helper';
import { planRequest } from './planner';
import { react } from './reactor';
import { explainWaiting } from './waiting-reason';

describe('explainWaiting', () => {
  const stopped = planRequest(startedChain(), {
    instancePath: '/vm1/db',
    targetState: 'deployed_stopped',
  }).application;

  it('should name the missing imports of an unresolved instance', () => {
    expect(explainWaiting(stopped, '/vm2/app')).to.equal(
      '/vm2/app waits for a started instance of Db to import from',
    );
  });

  it('should name the parent a waiting instance waits for, and its state', () => {
    expect(explainWaiting(stopped, '/vm2/app/war')).to.equal(
      '/vm2/app/war waits for its parent /vm2/app to be started (it is unresolved)',
    );
  });

  it('should name the failed step, its exit code and time', () => {
    const deploying = react(chainApplication({ '/vm1': at('not_deployed', 'deployed_stopped') }), {
      type: 'request',
      request: { instancePath: '/vm1', targetState: 'deployed_stopped' },
    });
    const failed = react(deploying.application, {
      type: 'step-failed',
      instancePath: '/vm1',
      step: 'deploy',
      exitCode: 7,
      logTail: 'disk full',
      at: '2026-11-23T12:00:00.000Z',
    });

    expect(explainWaiting(failed.application, '/vm1')).to.equal(
      '/vm1: deploy failed (exit code 7) at 2026-11-23T12:00:00.000Z; request it again to retry',
    );
  });

  it('should have nothing to say about a started instance', () => {
    expect(explainWaiting(startedChain(), '/vm2/app')).to.equal(undefined);
  });
});
