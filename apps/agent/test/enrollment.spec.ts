import { expect } from 'chai';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestHost } from '../../../test/support/netns';
import type { AgentProcess } from './support/agent-process';
import { AgentTestWorld } from './support/agent-test-world';

const AGENT = 'enrolling-1';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('Agent enrollment (agent process in a network namespace)', function () {
  this.timeout(120_000);
  let world: AgentTestWorld;
  let host: TestHost;
  let restarted: AgentProcess;

  before(async () => {
    world = await AgentTestWorld.create();
    host = await world.addHost('enroll');
  });

  after(async () => {
    await world?.destroy();
  });

  it('should obey nothing while pending, refuse an impostor DM, then obey once accepted', async () => {
    const marker = join(world.directory, 'marker-before-acceptance');
    world.dm.decisions.set(AGENT, 'impostor');
    const agent = world.startAgent(host, AGENT);
    const first = await world.dm.enrollments.waitFor<{ facts: Record<string, string> }>(
      'agent.enrollment.request.v1',
    );
    expect(first.facts).to.include.keys('os', 'addresses', 'cpuCount', 'memoryBytes');
    expect(first.facts.addresses).to.contain(host.address);
    await world.dm.enrollments.waitFor(
      'agent.enrollment.request.v1',
      () => world.dm.enrollments.items.length >= 2,
    );
    expect(await exists(join(world.dataDir(AGENT), 'enrollment.json')), agent.log).to.equal(false);
    world.dm.decisions.set(AGENT, 'pending');
    await world.dm.declareAgentQueue(AGENT);
    await world.shipBundle(AGENT, 'Marker');
    const command = world.stepCommand({
      component: 'Marker',
      instancePath: '/vm/early',
      step: 'deploy',
      exports: { 'Marker.marker': marker },
    });
    await world.dm.send(AGENT, 'dm.step.run.v1', command, { jobId: command.jobId });
    const requestsSoFar = world.dm.enrollments.items.length;
    await world.dm.enrollments.waitFor(
      'agent.enrollment.request.v1',
      () => world.dm.enrollments.items.length >= requestsSoFar + 2,
    );

    expect(await exists(marker), 'marker written before acceptance').to.equal(false);
    expect(await exists(join(world.dataDir(AGENT), 'enrollment.json'))).to.equal(false);
    expect(world.dm.inbox.items, 'messages sent before acceptance').to.deep.equal([]);

    world.dm.decisions.set(AGENT, 'accepted');
    const result = await world.dm.inbox.waitFor<{ status: string }>(
      'agent.step.result.v1',
      (payload) => payload.status === 'succeeded',
    );
    expect(result.status, agent.log).to.equal('succeeded');
    expect(await exists(marker)).to.equal(true);
    const state = await stat(join(world.dataDir(AGENT), 'enrollment.json'));
    expect(state.mode & 0o777).to.equal(0o600);
    await world.dm.inbox.waitFor('agent.heartbeat.v1');
  });

  it('should send a shutdown notice on SIGTERM and not enroll again after a restart', async () => {
    const running = world.startAgent(host, `${AGENT}-b`);
    world.dm.decisions.set(`${AGENT}-b`, 'accepted');
    await world.dm.inbox.waitFor('agent.inventory.v1', () => world.dm.agents.has(`${AGENT}-b`));
    const requests = world.dm.enrollments.items.length;
    const inventories = world.dm.inbox.all('agent.inventory.v1').length;

    expect(await running.stop(), running.log).to.equal(0);
    await world.dm.inbox.waitFor('agent.shutdown.v1').catch((error: unknown) => {
      throw new Error(`${String(error)}\n${running.log}`);
    });
    restarted = world.startAgent(host, `${AGENT}-b`);
    await world.dm.inbox.waitFor(
      'agent.inventory.v1',
      () => world.dm.inbox.all('agent.inventory.v1').length > inventories,
    );

    expect(world.dm.enrollments.items.length, restarted.log).to.equal(requests);
  });

  it('should enroll again when the broker refuses the credentials it kept', async () => {
    const name = `${AGENT}-b`;
    const requests = world.dm.enrollments.items.length;
    const inventories = world.dm.inbox.all('agent.inventory.v1').length;
    await restarted.stop();
    await world.dm.broker.management.putUser(
      world.dm.agents.get(name)?.brokerUser ?? '',
      'rotated',
    );

    const again = world.startAgent(host, name);
    await world.dm.inbox
      .waitFor(
        'agent.inventory.v1',
        () => world.dm.inbox.all('agent.inventory.v1').length > inventories,
      )
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\n${again.log}`);
      });

    expect(world.dm.enrollments.items.length, again.log).to.be.greaterThan(requests);
    expect(again.log).to.contain('enrolling again');
  });
});
