import { expectEndConditions } from './support/end-conditions';
import { SETTLE_MS } from './support/scenario.constants';
import { startAllUntilSlowStep } from './support/slow-step';
import { useSharedFaultWorld } from './support/use-fault-world';

describe('fault: the DM killed (-9) in the middle of a deployment, then restarted', function () {
  this.timeout(600_000);
  const world = useSharedFaultWorld();

  it('should resume from its database and end with every instance started, ports matching, nothing lost, the audit complete', async () => {
    await world().settle('undeploy-all', 'not_deployed', SETTLE_MS);
    await startAllUntilSlowStep(world(), 'h2');

    await world().dm.kill();
    await world().startDm();

    await world().api.waitForAll('fleet', 'deployed_started', SETTLE_MS);
    await expectEndConditions(world(), { state: 'deployed_started' });
  });

  it('should close every port when undeploying after the restart', async () => {
    await world().settle('undeploy-all', 'not_deployed', SETTLE_MS);

    await expectEndConditions(world(), { state: 'not_deployed' });
  });
});
