import { expect } from 'chai';
import fc from 'fast-check';
import { diffImports } from '../imports';
import { chainApplication } from './application.spec-helper';
import { LifecycleEngine } from './lifecycle-engine';
import type {
  ApplicationSnapshot,
  LifecycleInput,
  LifecycleStep,
  Reaction,
} from './lifecycle.types';
import {
  applicationArbitrary,
  eventArbitrary,
  inputOf,
  stillRunning,
  type EventDraft,
} from './random-application.spec-helper';
import { resolveSnapshotImports } from './snapshot-imports';

/** The replay runs hundreds of histories: a loaded machine may need far more than mocha's default. */
const PROPERTY_TIMEOUT_MS = 60_000;

/** The error code a call throws, or its result. */
function attempt<T>(run: () => T): { readonly result?: T; readonly code?: string } {
  try {
    return { result: run() };
  } catch (error: unknown) {
    return { code: (error as { code?: string }).code ?? String(error) };
  }
}

/** What `react` gives with a new engine, which looks at every instance in its first pass. */
function reactFresh(application: ApplicationSnapshot, input: LifecycleInput): Reaction {
  const engine = new LifecycleEngine(application);
  const { transitions, steps } = engine.react(input);
  return { application: engine.snapshot(), transitions, steps };
}

/** The running steps less the one whose result the input is. */
function withoutUsed(running: readonly LifecycleStep[], input: LifecycleInput): LifecycleStep[] {
  if (input.type !== 'step-succeeded' && input.type !== 'step-failed') {
    return [...running];
  }
  const used = running.findIndex(
    (step) => step.instancePath === input.instancePath && step.kind === input.step,
  );
  return running.filter((_step, index) => index !== used);
}

/**
 * The update steps and pending import changes a reaction must give, from a full diff of the
 * resolutions before and after: every change of an importer that was (or just got) started and
 * stays started and complete, after the changes a successful start releases; changes seen while
 * starting are kept.
 */
function expectUpdatesFromFullDiff(
  before: ApplicationSnapshot,
  input: LifecycleInput,
  reaction: Reaction,
): void {
  const after = reaction.application;
  const resolvedAfter = resolveSnapshotImports(after);
  const stateIn = (snapshot: ApplicationSnapshot, path: string): string =>
    snapshot.runtime[path]?.state ?? 'not_deployed';
  const startSucceeded =
    input.type === 'step-succeeded' && input.step === 'start' ? input.instancePath : undefined;
  const released = startSucceeded && before.runtime[startSucceeded]?.pendingImportChanges;
  const ready = released ? [{ instancePath: startSucceeded, changes: released }] : [];
  for (const entry of diffImports(resolveSnapshotImports(before), resolvedAfter)) {
    const { instancePath, changes } = entry;
    if (
      stateIn(before, instancePath) === 'starting' &&
      stateIn(after, instancePath) === 'starting'
    ) {
      const pending = [...(before.runtime[instancePath]?.pendingImportChanges ?? []), ...changes];
      expect(after.runtime[instancePath]?.pendingImportChanges, instancePath).to.deep.equal(
        pending,
      );
    } else if (
      instancePath === startSucceeded ||
      stateIn(before, instancePath) === 'deployed_started'
    ) {
      ready.push(entry);
    }
  }
  const expected = ready
    .filter(
      ({ instancePath }) =>
        stateIn(after, instancePath) === 'deployed_started' &&
        resolvedAfter[instancePath]?.isComplete === true,
    )
    .flatMap(({ instancePath, changes }) =>
      changes.map((importChange) => ({ instancePath, importChange })),
    );
  const updates = reaction.steps
    .filter((step) => step.kind === 'update')
    .map(({ instancePath, importChange }) => ({ instancePath, importChange }));
  expect(updates, 'update steps').to.deep.equal(expected);
}

function expectSameImports(engine: LifecycleEngine, application: ApplicationSnapshot): void {
  const full = resolveSnapshotImports(application);
  for (const entry of application.instances) {
    expect(engine.importsOf(entry.path), `imports of ${entry.path}`).to.deep.equal(
      full[entry.path],
    );
  }
}

/**
 * Feeds the same inputs to one long-lived engine and to a new engine on the reference snapshot each
 * time (its first pass looks at every instance), and compares everything after each input.
 * The opening starts every root's subtree, so that imports come and go in what follows.
 */
function replay(application: ApplicationSnapshot, events: readonly EventDraft[]): void {
  const sut = new LifecycleEngine(application);
  let reference = application;
  let running: LifecycleStep[] = [];
  const opening: LifecycleInput[] = application.instances
    .filter((entry) => entry.parentPath === undefined)
    .map((entry) => ({
      type: 'request',
      request: { instancePath: entry.path, targetState: 'deployed_started', scope: 'subtree' },
    }));
  const inputs = [...opening, ...events];
  for (const [index, next] of inputs.entries()) {
    const input = 'kind' in next ? inputOf(next, reference, running) : next;
    if (input === undefined) {
      continue;
    }
    const where = `input ${index} ${JSON.stringify(input)}`;
    const full = attempt((): Reaction => reactFresh(reference, input));
    const incremental = attempt(() => sut.react(input));
    expect(incremental.code, where).to.equal(full.code);
    if (full.result === undefined || incremental.result === undefined) {
      return; // Both refused the input alike; an engine that threw is not used again.
    }
    const { transitions, steps } = incremental.result;
    expect(transitions, `${where}: transitions`).to.deep.equal(full.result.transitions);
    expect(steps, `${where}: steps`).to.deep.equal(full.result.steps);
    expect(sut.snapshot(), `${where}: snapshot`).to.deep.equal(full.result.application);
    expectSameImports(sut, full.result.application);
    expectUpdatesFromFullDiff(reference, input, full.result);
    reference = full.result.application;
    running = stillRunning(reference, [...withoutUsed(running, input), ...steps]);
  }
}

describe(LifecycleEngine.name, () => {
  describe('react', () => {
    it('should decide, step and resolve imports as a full reaction on the whole application does, for random applications and events', function () {
      // Hundreds of random histories, each replayed twice and fully resolved after every input.
      this.timeout(PROPERTY_TIMEOUT_MS);
      fc.assert(
        fc.property(
          applicationArbitrary,
          fc.array(eventArbitrary, { minLength: 20, maxLength: 80 }),
          replay,
        ),
        { numRuns: 150 },
      );
    });

    it('should refuse every input once an input failed half-way', () => {
      const sut = new LifecycleEngine(chainApplication());
      const path = '/vm1';

      expect(() =>
        sut.react({ type: 'step-succeeded', instancePath: path, step: 'start' }),
      ).to.throw(/not_deployed/);

      expect(() =>
        sut.react({
          type: 'request',
          request: { instancePath: path, targetState: 'deployed_started' },
        }),
      )
        .to.throw(/earlier input failed half-way/)
        .with.property('code', 'ENGINE_BROKEN');
    });
  });
});
