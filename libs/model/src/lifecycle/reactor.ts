import { keepEngine, takeEngine } from './engine-cache';
import { LifecycleEngine } from './lifecycle-engine';
import type {
  ApplicationSnapshot,
  LifecycleInput,
  ReactOptions,
  Reaction,
} from './lifecycle.types';

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
  const engine =
    takeEngine(application, options.isOwned) ?? new LifecycleEngine(application, options);
  const { transitions, steps } = engine.react(input);
  const next = engine.snapshot();
  keepEngine(next, engine, options.isOwned);
  return { application: next, transitions, steps };
}
