import { expect } from 'chai';
import { expectEndConditions } from './support/end-conditions';
import { SETTLE_MS } from './support/scenario.constants';
import { startAllUntilSlowStep } from './support/slow-step';
import { useSharedFaultWorld } from './support/use-fault-world';

/** Heartbeats are 1 s apart and 3 may be missed: the DM must notice well within this. */
const LOST_WITHIN_MS = 60_000;

describe('fault: an agent host cut off (link down) for longer than the heartbeat timeout, then restored', function () {
  this.timeout(600_000);
  const world = useSharedFaultWorld();

  it('should mark the agent lost, take it back, and end with every instance started, ports matching, nothing lost, the audit complete', async () => {
    const agent = world().agentName('h2');
    await world().settle('undeploy-all', 'not_deployed', SETTLE_MS);
    await startAllUntilSlowStep(world(), 'h2');

    await world().setLink('h2', false);
    try {
      await world().api.waitUntil(
        async () => ((await world().api.agent(agent))?.isLost === true ? true : undefined),
        () => `agent ${agent} never marked lost`,
        LOST_WITHIN_MS,
      );
    } finally {
      await world().setLink('h2', true);
    }

    await world().api.waitUntil(
      async () => ((await world().api.agent(agent))?.isLost === false ? true : undefined),
      () => `agent ${agent} still lost after its link came back`,
      SETTLE_MS,
    );
    await world().api.waitForAll('fleet', 'deployed_started', SETTLE_MS);
    await expectEndConditions(world(), { state: 'deployed_started' });
    const lost = await world().api.audit('agent.lost');
    expect(lost.map((line) => line.target)).to.include(`agent:${agent}`);
  });
});
