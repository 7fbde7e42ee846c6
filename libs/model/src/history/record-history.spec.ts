import { expect } from 'chai';
import fc from 'fast-check';
import { at } from '../lifecycle/application.spec-helper';
import { INSTANCE_STATES } from '../lifecycle/lifecycle.constants';
import type { InstanceRuntimeState } from '../lifecycle/lifecycle.types';
import { RecordHistory } from './record-history';

type Operation =
  | { readonly kind: 'set'; readonly path: number; readonly state: number }
  | { readonly kind: 'take' }
  | { readonly kind: 'read'; readonly which: number };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.nat(5), state: fc.nat() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('take' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), which: fc.nat() }) },
);

describe(RecordHistory.name, () => {
  describe('take', () => {
    it('should build every version as the runtime stood when it was taken, whatever changed since and in whatever order versions are read', () => {
      fc.assert(
        fc.property(
          fc.array(operationArbitrary, { maxLength: 60 }),
          fc.nat(),
          (operations, seed) => {
            const live = new Map<string, InstanceRuntimeState>([['/vm0', at('deployed_started')]]);
            const sut = new RecordHistory(live);
            const taken: { read: () => unknown; expected: Record<string, InstanceRuntimeState> }[] =
              [];
            for (const operation of operations) {
              if (operation.kind === 'set') {
                const path = `/vm${operation.path}`;
                sut.willChange(path);
                live.set(
                  path,
                  at(INSTANCE_STATES[operation.state % INSTANCE_STATES.length] ?? 'problem'),
                );
              } else if (operation.kind === 'take') {
                taken.push({ read: sut.take(), expected: Object.fromEntries(live) });
              } else if (taken.length > 0) {
                const version = taken[operation.which % taken.length];
                expect(version?.read()).to.deep.equal(version?.expected);
              }
            }
            const order = taken.map((_entry, index) => (index * 7 + seed) % taken.length);
            for (const index of order) {
              expect(taken[index]?.read(), `version ${index}`).to.deep.equal(
                taken[index]?.expected,
              );
            }
          },
        ),
        { numRuns: 300 },
      );
    });

    it('should give the same record each time a version is read', () => {
      const live = new Map<string, InstanceRuntimeState>([['/vm0', at('deployed_started')]]);
      const sut = new RecordHistory(live);
      const read = sut.take();

      const first = read();
      sut.willChange('/vm0');
      live.set('/vm0', at('stopping', 'deployed_stopped'));

      expect(read()).to.equal(first);
      expect(first['/vm0']?.state).to.equal('deployed_started');
    });
  });
});
