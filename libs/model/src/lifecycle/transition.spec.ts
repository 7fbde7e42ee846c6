import { expect } from 'chai';
import { ModelError } from '../errors';
import {
  INSTANCE_STATES,
  LIFECYCLE_EVENTS,
  REQUESTABLE_STATES,
  STABLE_STATES,
  type InstanceState,
  type LifecycleEvent,
} from './lifecycle.constants';
import { LifecycleError } from './lifecycle.error';
import { isStableState, transition } from './transition';

/** `revert` marks a failure: the instance goes back to the stable state it left (listed after it). */
type Expected = InstanceState | { readonly revert: readonly InstanceState[] };

const RESTING: readonly InstanceState[] = [
  'deployed_stopped',
  'unresolved',
  'waiting_for_ancestor',
];
const each = (
  states: readonly InstanceState[],
  to: Expected,
): Partial<Record<InstanceState, Expected>> =>
  Object.fromEntries(states.map((state) => [state, to]));

/** The whole legal table, written independently of TRANSITIONS: every pair not listed must be refused. */
const EXPECTED: Readonly<Record<LifecycleEvent, Partial<Record<InstanceState, Expected>>>> = {
  deploy: { not_deployed: 'deploying' },
  'deploy-succeeded': { deploying: 'deployed_stopped' },
  'deploy-failed': { deploying: { revert: ['not_deployed'] } },
  start: each(RESTING, 'starting'),
  'start-succeeded': { starting: 'deployed_started' },
  'start-failed': { starting: { revert: RESTING } },
  stop: { deployed_started: 'stopping' },
  'imports-lost': { deployed_started: 'stopping' },
  'ancestor-stopped': { deployed_started: 'stopping' },
  'stop-succeeded': { stopping: 'deployed_stopped' },
  'stop-failed': { stopping: { revert: ['deployed_started'] } },
  undeploy: each([...RESTING, 'problem'], 'undeploying'),
  'undeploy-succeeded': { undeploying: 'not_deployed' },
  'undeploy-failed': { undeploying: { revert: [...RESTING, 'problem'] } },
  update: { deployed_started: 'deployed_started' },
  'update-succeeded': { deployed_started: 'deployed_started' },
  'update-failed': { deployed_started: 'deployed_started' },
  'imports-missing': each(['deployed_stopped', 'waiting_for_ancestor'], 'unresolved'),
  'ancestor-not-started': each(['deployed_stopped', 'unresolved'], 'waiting_for_ancestor'),
  'start-cancelled': each(['unresolved', 'waiting_for_ancestor'], 'deployed_stopped'),
  'agent-lost': each(
    [...RESTING, 'deploying', 'starting', 'deployed_started', 'stopping', 'undeploying'],
    'problem',
  ),
  'agent-alive': { problem: 'deployed_started' },
};

function expectIllegal(
  run: () => unknown,
  path: string,
  state: InstanceState,
  event: string,
): void {
  let caught: unknown;
  try {
    run();
  } catch (error: unknown) {
    caught = error;
  }
  expect(caught).to.be.instanceOf(LifecycleError).and.to.be.instanceOf(ModelError);
  const error = caught as LifecycleError;
  expect(error.code).to.equal('ILLEGAL_TRANSITION');
  expect(error.instancePath).to.equal(path);
  expect(error.state).to.equal(state);
  expect(error.request).to.equal(event);
  expect(error.message).to.contain(path).and.to.contain(state).and.to.contain(event);
}

describe('transition', () => {
  describe('states', () => {
    it('should declare the ten Roboconf states, five of them stable', () => {
      expect(INSTANCE_STATES).to.have.length(10);
      expect([...STABLE_STATES].sort()).to.deep.equal(
        [
          'deployed_started',
          'deployed_stopped',
          'not_deployed',
          'unresolved',
          'waiting_for_ancestor',
        ].sort(),
      );
      for (const state of INSTANCE_STATES) {
        expect(isStableState(state), state).to.equal(STABLE_STATES.includes(state));
      }
    });

    it('should let users request only not_deployed, deployed_stopped and deployed_started', () => {
      expect([...REQUESTABLE_STATES]).to.deep.equal([
        'not_deployed',
        'deployed_stopped',
        'deployed_started',
      ]);
    });
  });

  for (const event of LIFECYCLE_EVENTS) {
    describe(event, () => {
      for (const state of INSTANCE_STATES) {
        const expected = EXPECTED[event][state];
        if (expected === undefined) {
          it(`should refuse "${event}" in ${state}`, () => {
            expectIllegal(
              () => transition('/vm/app', state, event, 'deployed_stopped'),
              '/vm/app',
              state,
              event,
            );
          });
        } else if (typeof expected === 'string') {
          it(`should go from ${state} to ${expected}`, () => {
            expect(transition('/vm/app', state, event)).to.equal(expected);
          });
        } else {
          it(`should go from ${state} back to the previous stable state (${expected.revert.join(', ')})`, () => {
            for (const previous of expected.revert) {
              expect(transition('/vm/app', state, event, previous)).to.equal(previous);
            }
            const refused = INSTANCE_STATES.filter(
              (candidate) => !expected.revert.includes(candidate),
            );
            for (const previous of refused) {
              expectIllegal(
                () => transition('/vm/app', state, event, previous),
                '/vm/app',
                state,
                event,
              );
            }
            expectIllegal(() => transition('/vm/app', state, event), '/vm/app', state, event);
          });
        }
      }
    });
  }
});
