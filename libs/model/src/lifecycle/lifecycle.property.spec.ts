import { expect } from 'chai';
import fc from 'fast-check';
import { at, chainApplication, instance } from './application.spec-helper';
import { REQUESTABLE_STATES } from './lifecycle.constants';
import { isStepRunning } from './lifecycle-ledger';
import type { ApplicationSnapshot, LifecycleRequest } from './lifecycle.types';
import { planRequest } from './planner';
import { react } from './reactor';
import { resolveSnapshotImports } from './snapshot-imports';

/** The chain plus a second Db (so that App can keep one exporter while the other stops). */
function application(): ApplicationSnapshot {
  const chain = chainApplication();
  return {
    ...chain,
    instances: [...chain.instances, instance('/vm4', 'VM'), instance('/vm4/db2', 'Db')],
    exports: { ...chain.exports, '/vm4/db2': { 'Db.ip': '10.0.0.4', 'Db.port': '3306' } },
  };
}

const PATHS = application().instances.map((entry) => entry.path);
const requestArbitrary: fc.Arbitrary<LifecycleRequest> = fc.record({
  instancePath: fc.constantFrom(...PATHS),
  targetState: fc.constantFrom(...REQUESTABLE_STATES),
  scope: fc.constantFrom('instance' as const, 'subtree' as const),
});

/** The rules every settled application obeys, whatever the requests that led there. */
function expectSettledRules(settled: ApplicationSnapshot): void {
  const imports = resolveSnapshotImports(settled);
  for (const entry of settled.instances) {
    const runtime = settled.runtime[entry.path] ?? at('not_deployed');
    const parent = entry.parentPath === undefined ? undefined : settled.runtime[entry.parentPath];
    const isParentStarted =
      parent === undefined ? entry.parentPath === undefined : parent.state === 'deployed_started';
    const where = `${entry.path} ${JSON.stringify(runtime)}`;
    expect(isStepRunning(runtime.state), where).to.equal(false);
    if (runtime.state === 'deployed_started') {
      expect(isParentStarted, `${where}: parent started`).to.equal(true);
      expect(imports[entry.path]?.isComplete, `${where}: imports complete`).to.equal(true);
    }
    if (runtime.state !== 'not_deployed' && entry.parentPath !== undefined) {
      expect(parent?.state ?? 'not_deployed', `${where}: parent deployed`).to.not.equal(
        'not_deployed',
      );
    }
    const expected =
      runtime.desiredState !== 'deployed_started'
        ? runtime.desiredState
        : !isParentStarted && runtime.state !== 'not_deployed'
          ? 'waiting_for_ancestor'
          : imports[entry.path]?.isComplete === false && isParentStarted
            ? 'unresolved'
            : runtime.state === 'not_deployed'
              ? 'not_deployed'
              : 'deployed_started';
    expect(runtime.state, `${where}: settles as wanted`).to.equal(expected);
  }
}

describe('lifecycle properties', () => {
  it('should settle every sequence of requests in a state that obeys the rules when every step succeeds', () => {
    fc.assert(
      fc.property(fc.array(requestArbitrary, { minLength: 1, maxLength: 8 }), (requests) => {
        let current = application();
        for (const request of requests) {
          current = planRequest(current, request).application;
          expectSettledRules(current);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should never issue a failed step again for the same instance until a request covers it', () => {
    fc.assert(
      fc.property(
        fc.array(requestArbitrary, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (requests, seed) => {
          let current = application();
          let failedOnce: { path: string; step: string } | undefined;
          for (const request of requests) {
            let reaction = react(current, { type: 'request', request });
            // A request that involves the failed instance clears its record and may retry it.
            if (
              failedOnce !== undefined &&
              reaction.application.runtime[failedOnce.path]?.failure === undefined
            ) {
              failedOnce = undefined;
            }
            const pending = [...reaction.steps];
            for (
              let index = 0, step = pending.shift();
              step !== undefined;
              index++, step = pending.shift()
            ) {
              const fails = failedOnce === undefined && (seed + index) % 5 === 0;
              reaction = react(
                reaction.application,
                fails
                  ? {
                      type: 'step-failed',
                      instancePath: step.instancePath,
                      step: step.kind,
                      exitCode: 1,
                      logTail: '',
                      at: 'now',
                    }
                  : { type: 'step-succeeded', instancePath: step.instancePath, step: step.kind },
              );
              if (fails) {
                failedOnce = { path: step.instancePath, step: step.kind };
                expect(reaction.application.runtime[step.instancePath]?.failure?.step).to.equal(
                  step.kind,
                );
              }
              const again = reaction.steps.filter(
                (next) => next.instancePath === failedOnce?.path && next.kind === failedOnce.step,
              );
              expect(again, 'failed step issued again').to.deep.equal([]);
              pending.push(...reaction.steps);
            }
            current = reaction.application;
            for (const entry of current.instances) {
              expect(
                isStepRunning(current.runtime[entry.path]?.state ?? 'not_deployed'),
                entry.path,
              ).to.equal(false);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
