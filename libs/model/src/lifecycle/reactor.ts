import { LifecycleEngine } from './lifecycle-engine';
import type {
  ApplicationSnapshot,
  LifecycleInput,
  ReactOptions,
  Reaction,
} from './lifecycle.types';

/**
 * The engine that produced each snapshot `react` returned, still standing for it: reacting to that
 * snapshot again continues with the engine (only the instances the input affects are looked at)
 * instead of rebuilding one, as when a caller chains reactions (the DM settling its own steps).
 */
const ENGINES = new WeakMap<
  ApplicationSnapshot,
  { readonly engine: LifecycleEngine; readonly isOwned: ReactOptions['isOwned'] }
>();

/**
 * The lifecycle's one entry point for the DM's reconciler and the agents: applies what happened (a
 * request, a step's outcome, a state reported by another agent, new exported values, an agent lost
 * or back), then computes the next state of every affected instance and the steps to run now:
 * deploys and starts that became possible, stops cascading from lost imports (deepest first),
 * waiting children starting with their parent, and one `update` step per changed exporter for every
 * started instance that stays started and complete. A failed step puts the instance back in its
 * previous stable state with a failure record, and is not retried until a new request involves the
 * instance. Pure: no I/O, no clock, the input is not modified. Given a snapshot it returned itself,
 * it continues with the engine that produced it; any other snapshot gets a new engine, whose first
 * reaction looks at every instance (a `LifecycleEngine` kept by the caller avoids even that).
 * @throws LifecycleError `ILLEGAL_TRANSITION` (a step outcome that does not fit the instance's state),
 * `UNKNOWN_INSTANCE`, `ILLEGAL_REQUEST`.
 */
export function react(
  application: ApplicationSnapshot,
  input: LifecycleInput,
  options: ReactOptions = {},
): Reaction {
  const kept = ENGINES.get(application);
  // An engine serves once: after this reaction it stands for the new snapshot, not this one.
  ENGINES.delete(application);
  const engine =
    kept !== undefined && kept.isOwned === options.isOwned
      ? kept.engine
      : new LifecycleEngine(application, options);
  const { transitions, steps } = engine.react(input);
  const next = engine.snapshot();
  ENGINES.set(next, { engine, isOwned: options.isOwned });
  return { application: next, transitions, steps };
}
