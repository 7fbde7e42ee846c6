import { startBrokerApp, stopBrokerApp } from '../../libs/messaging/testing';
import { expectEndConditions } from './support/end-conditions';
import { FLEET_APP } from './support/fleet-template';
import { useFaultWorld } from './support/use-fault-world';

/** Five hosts of a hundred workers each: 500 instances with trivial recipes. */
const HOSTS = ['b1', 'b2', 'b3', 'b4', 'b5'];
const WORKERS_PER_HOST = 100;
/** The broker goes down once this many instances are started: in the middle of the deployment. */
const STARTED_BEFORE_RESTART = 100;
const FIRST_STARTS_MS = 300_000;
const SETTLE_MS = 600_000;

describe('fault: the broker restarted in the middle of deploying 500 instances', function () {
  this.timeout(1_200_000);
  const world = useFaultWorld({
    shape: { hosts: HOSTS, workersPerHost: WORKERS_PER_HOST, withSlow: false },
  });

  it('should end with every instance started, ports matching, nothing lost, the audit complete', async () => {
    const started = Date.now();
    await world().api.call('POST', `/applications/${FLEET_APP}/actions/start-all`);
    let count = 0;
    await world().api.waitUntil(
      async () => {
        const instances = await world().api.instances(FLEET_APP);
        count = instances.filter((i) => i.actualState === 'deployed_started').length;
        return count >= STARTED_BEFORE_RESTART ? true : undefined;
      },
      () => `only ${count} instances started before the broker restart`,
      FIRST_STARTS_MS,
    );

    await stopBrokerApp();
    try {
      await world().api.call('GET', `/applications/${FLEET_APP}/instances`);
    } finally {
      await startBrokerApp();
    }

    await world().api.waitForAll(FLEET_APP, 'deployed_started', SETTLE_MS);
    process.stdout.write(
      `      ${HOSTS.length * (WORKERS_PER_HOST + 1)} instances started in ${Math.round((Date.now() - started) / 1000)} s across the broker restart\n`,
    );
    await expectEndConditions(world(), { state: 'deployed_started' });
  });
});
