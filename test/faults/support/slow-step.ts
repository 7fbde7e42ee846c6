import type { FaultWorld } from './fault-world';
import { FLEET_APP, SLOW_STEP_BANNER, rootOf } from './fleet-template';
import { STEP_BEGIN_MS } from './scenario.constants';

/**
 * Asks for `start-all`, and resolves once the slow instance of `host` printed that its start step
 * began (it then sleeps): the moment to strike.
 */
export async function startAllUntilSlowStep(world: FaultWorld, host: string): Promise<void> {
  const path = `${rootOf(host)}/slow`;
  const seenBefore = world.api.events.events.length;
  await world.api.call('POST', `/applications/${FLEET_APP}/actions/start-all`);
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
