import { expectEndConditions } from './support/end-conditions';
import { FLEET_APP, SLOW_STEP_BANNER, rootOf } from './support/fleet-template';
import { useFaultWorld } from './support/use-fault-world';

const SETTLE_MS = 120_000;
const STEP_BEGIN_MS = 60_000;

describe('fault: an agent killed (-9) in the middle of a step, then restarted', function () {
  this.timeout(300_000);
  const world = useFaultWorld({
    shape: { hosts: ['h1', 'h2'], workersPerHost: 10, withSlow: true },
  });

  it('should run the interrupted step again and end with every instance started, ports matching, nothing lost, the audit complete', async () => {
    const slowPath = `${rootOf('h1')}/slow`;
    await world().api.call('POST', `/applications/${FLEET_APP}/actions/start-all`);
    await world().api.events.waitFor(
      `step output "${SLOW_STEP_BANNER}" of ${slowPath}`,
      (event) =>
        event.type === 'step.output' &&
        event.path === slowPath &&
        String(event.chunk).includes(SLOW_STEP_BANNER),
      STEP_BEGIN_MS,
    );

    await world().agents.get('h1')?.kill();
    world().startAgent('h1');

    await world().api.waitForAll(FLEET_APP, 'deployed_started', SETTLE_MS);
    await expectEndConditions(world(), { state: 'deployed_started' });
  });
});
