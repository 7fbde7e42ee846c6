import { expectEndConditions } from './support/end-conditions';
import { SETTLE_MS } from './support/scenario.constants';
import { startAllUntilSlowStep } from './support/slow-step';
import { useSharedFaultWorld } from './support/use-fault-world';

describe('fault: an agent killed (-9) in the middle of a step, then restarted', function () {
  this.timeout(600_000);
  const world = useSharedFaultWorld();

  it('should run the interrupted step again and end with every instance started, ports matching, nothing lost, the audit complete', async () => {
    await world().settle('undeploy-all', 'not_deployed', SETTLE_MS);
    await startAllUntilSlowStep(world(), 'h1');

    await world().agents.get('h1')?.kill();
    world().startAgent('h1');

    await world().api.waitForAll('fleet', 'deployed_started', SETTLE_MS);
    await expectEndConditions(world(), { state: 'deployed_started' });
  });
});
