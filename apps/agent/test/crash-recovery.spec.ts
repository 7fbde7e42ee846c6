import { expect } from 'chai';
import { join } from 'node:path';
import type { InventoryPayload, StepResultPayload } from '@flotilla/protocol';
import { NftFirewall, PortLedger, createCommandExecutor, parsePortRule } from '@flotilla/recipes';
import type { TestHost } from '../../../test/support/netns';
import { canConnect } from '../../../libs/recipes/test/firewall-probe';
import { AgentTestWorld } from './support/agent-test-world';

const AGENT = 'crashing-host';
const PORT = 8090;

describe('Agent killed with SIGKILL in the middle of a step (agent in a network namespace)', function () {
  this.timeout(150_000);
  let world: AgentTestWorld;
  let web: TestHost;
  let client: TestHost;

  before(async () => {
    world = await AgentTestWorld.create();
    web = await world.addHost('crashing');
    client = await world.addHost('client');
  });

  after(async () => {
    await world?.destroy();
  });

  function start(): ReturnType<AgentTestWorld['stepCommand']> {
    return world.stepCommand({
      component: 'Web',
      instancePath: '/vm/crashy',
      step: 'start',
      exports: { 'Web.port': String(PORT), 'Web.slowFirstStart': 'yes' },
    });
  }

  it('should report the interrupted job, keep the previous state, converge when the step is reissued and keep ledger and rules equal', async () => {
    const agent = await world.startAcceptedAgent(web, AGENT);
    await world.shipBundle(AGENT, 'Web');
    const deploy = world.stepCommand({
      component: 'Web',
      instancePath: '/vm/crashy',
      step: 'deploy',
      exports: { 'Web.port': String(PORT) },
    });
    expect((await world.runStep(AGENT, deploy)).status).to.equal('succeeded');
    const interrupted = start();
    await world.dm.send(AGENT, 'dm.step.run.v1', interrupted, { jobId: interrupted.jobId });
    await world.dm.inbox.waitFor<{ jobId: string; chunk: string }>(
      'agent.step.output.v1',
      (chunk) => chunk.jobId === interrupted.jobId && chunk.chunk.includes('hanging'),
    );

    await agent.crash();
    const inventories = world.dm.inbox.all('agent.inventory.v1').length;
    const restarted = world.startAgent(web, AGENT);
    const inventory = await world.dm.inbox.waitFor<InventoryPayload>(
      'agent.inventory.v1',
      () => world.dm.inbox.all('agent.inventory.v1').length > inventories,
    );

    expect(inventory.interruptedJobs, restarted.log).to.deep.equal([interrupted.jobId]);
    expect(inventory.instances).to.deep.include({
      path: '/vm/crashy',
      state: 'deployed_stopped',
      exports: { 'Web.port': String(PORT) },
      openPorts: [{ port: PORT, protocol: 'tcp' }],
    });
    const redelivered = await world.dm.inbox.waitFor<StepResultPayload>(
      'agent.step.result.v1',
      (result) => result.jobId === interrupted.jobId,
    );
    expect(redelivered.status, 'the redelivered command gets the recorded answer').to.equal(
      'aborted',
    );

    const reissued = await world.runStep(AGENT, start());

    expect(reissued.status, reissued.logTail).to.equal('succeeded');
    expect(await canConnect(client, web, PORT)).to.equal(true);
    expect((await world.instanceStates(AGENT))['/vm/crashy']?.state).to.equal('deployed_started');
    const check = new NftFirewall({
      ledger: new PortLedger(join(world.dataDir(AGENT), 'ports.ledger.json')),
      managed: true,
      alwaysOpen: [parsePortRule('22/tcp')],
      executor: createCommandExecutor(web.execPrefix),
    });
    expect(await check.reconcile()).to.deep.equal({ reopened: [], closed: [], rebuilt: false });
    expect(await check.list()).to.deep.equal([
      { owner: '/vm/crashy', rules: [{ port: PORT, protocol: 'tcp' }] },
    ]);
  });
});
