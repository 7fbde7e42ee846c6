import type { FaultWorld } from './fault-world';
import { SLOW_STEP_BANNER, rootOf } from './fleet-template';
import { STEP_BEGIN_MS } from './scenario.constants';

/** Resolves once the slow instance of `host` printed that its start step began (it then sleeps). */
export async function slowStepBegan(world: FaultWorld, host: string): Promise<void> {
  const path = `${rootOf(host)}/slow`;
  const seenBefore = world.api.events.events.length;
  await world.api.events.waitFor(
    `step output "${SLOW_STEP_BANNER}" of ${path}`,
    (event) =>
      event.type === 'step.output' &&
      event.path === path &&
      String(event.chunk).includes(SLOW_STEP_BANNER),
    STEP_BEGIN_MS,
    seenBefore,
  );
}
