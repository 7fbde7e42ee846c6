import { expect } from 'chai';
import { AgentlessWorld, ECHO_PORTS } from './support/agentless-world';

/** Real sshd, real proxies, real recipes: generous, never asserted. */
const SETTLE_MS = 60_000;

const isIn = (state: string) => (instance: { actualState: string }) =>
  instance.actualState === state;

describe('agentless host served by proxy agents over SSH', function () {
  this.timeout(180_000);
  let world: AgentlessWorld;

  before(async () => {
    world = new AgentlessWorld();
    try {
      await world.start();
    } catch (error: unknown) {
      await world.stop();
      throw error;
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      process.stderr.write(world.agentLogs().slice(-20_000));
    }
  });

  after(() => world?.stop());

  async function servingProxy(root: string): Promise<string | null | undefined> {
    const response = await world.client
      .api('get', `/applications/${world.application}/agentless-targets`)
      .expect(200);
    const targets = response.body as Array<{ path: string; servingProxy: string | null }>;
    return targets.find((target) => target.path === root)?.servingProxy;
  }

  const opened = (port: number) => new RegExp(`\\b${port}\\b`);

  interface Run {
    step: string;
    agent: string | null;
    status: string;
    logTail: string;
    setup?: { failure?: { code: string }; handedOver?: string };
  }
  async function runsOf(path: string): Promise<Run[]> {
    const response = await world.client
      .api('get', `/applications/${world.application}/instances/${encodeURIComponent(path)}/logs`)
      .expect(200);
    return response.body as Run[];
  }

  it('should deploy and start a component whose port then answers, and close it when undeployed', async () => {
    await world.request('/host', 'deployed_started');
    await world.request('/host/echo', 'deployed_started');
    await world.waitForInstance('/host/echo', isIn('deployed_started'), SETTLE_MS);

    expect(await world.probe('/host/echo')).to.equal('Echo /host/echo');
    expect(await world.targetFirewall()).to.match(opened(ECHO_PORTS['/host/echo']));
    expect(await servingProxy('/host')).to.equal(world.proxyName('proxy-a'));
    const listed = (await world.client.instances(world.application)).get('/host/echo');
    expect(listed).to.deep.include({
      agentless: `root@${world.host('target').address}:2222`,
      runsOn: world.proxyName('proxy-a'),
    });

    await world.request('/host/echo', 'not_deployed');
    await world.waitForInstance('/host/echo', isIn('not_deployed'), SETTLE_MS);

    expect(await world.probe('/host/echo')).to.equal(null);
    expect(await world.targetFirewall()).not.to.match(opened(ECHO_PORTS['/host/echo']));
  });

  it('should refuse a target whose host key is not the pinned one, naming both fingerprints', async () => {
    await world.request('/impostor', 'deployed_started');
    await world.request('/impostor/echo', 'deployed_started');
    const failed = await world.waitForInstance(
      '/impostor/echo',
      (instance) => instance.lastFailure !== null,
      SETTLE_MS,
    );

    const failure = JSON.stringify(failed.lastFailure);
    const response = await world.client
      .api('get', `/applications/${world.application}/agentless-targets`)
      .expect(200);
    const declared = response.body as Array<{ path: string; hostKeyFingerprint: string }>;
    const pinned = declared.find((target) => target.path === '/impostor')?.hostKeyFingerprint;
    expect(failure).to.contain('SSH_HOST_KEY_MISMATCH');
    expect(failure).to.contain(`expected ${pinned}`);
    expect(failure).to.contain(`presented ${world.sshd.hostKey.fingerprint}`);
    expect(failed.actualState).to.equal('not_deployed');
    const [run] = await runsOf('/impostor/echo');
    expect(run?.setup?.failure?.code).to.equal('SSH_HOST_KEY_MISMATCH');
    expect(run?.logTail).to.equal('');
  });

  it('should log in with the password the operator gave, sealed by the DM for the serving proxy', async () => {
    await world.request('/pw', 'deployed_started');
    await world.request('/pw/echo', 'deployed_stopped');
    const deployed = await world.waitForInstance(
      '/pw/echo',
      (instance) => instance.actualState === 'deployed_stopped' || instance.lastFailure !== null,
      SETTLE_MS,
    );

    expect(deployed.lastFailure).to.equal(null);
    const owner = await world
      .host('target')
      .exec('stat', ['-c', '%U', world.stateDirOf('pw', 'echo')]);
    expect(owner.stdout.trim()).to.equal(world.passwordUser);
  });

  it('should hand a step to the next proxy when the first cannot reach the target, then say it is unreachable', async () => {
    await world.request('/unreachable', 'deployed_started');
    await world.request('/unreachable/echo', 'deployed_stopped');
    const failed = await world.waitForInstance(
      '/unreachable/echo',
      (instance) => instance.lastFailure !== null,
      SETTLE_MS,
    );

    expect(JSON.stringify(failed.lastFailure)).to.contain('SSH_UNREACHABLE');
    const runs = await runsOf('/unreachable/echo');
    const handedOver = runs.find((run) => run.setup?.handedOver)?.setup?.handedOver;
    expect(handedOver).to.contain(`proxy ${world.proxyName('proxy-a')} could not reach`);
    expect(runs.map((run) => [run.agent, run.status])).to.deep.equal([
      [world.proxyName('proxy-b'), 'failed'],
      [world.proxyName('proxy-a'), 'cancelled'],
    ]);
  });

  it('should finish a deployment through the second proxy when the first is killed mid-step, keeping the ports the first opened', async () => {
    // Starting /host in the first test started /host/echo2 through proxy-a (its port is open).
    await world.waitForInstance('/host/echo2', isIn('deployed_started'), SETTLE_MS);
    const running = world.waitForOutput('proxy-a', '/host/echo', SETTLE_MS);
    await world.request('/host/echo', 'deployed_started');
    await running;

    await world.agents.get('proxy-a')!.kill();
    await world.waitForInstance('/host/echo', isIn('deployed_started'), SETTLE_MS);

    expect(await servingProxy('/host')).to.equal(world.proxyName('proxy-b'));
    const handedOver = (await runsOf('/host/echo')).find((run) => run.setup?.handedOver);
    expect(handedOver?.setup?.handedOver).to.contain(`proxy ${world.proxyName('proxy-a')} is lost`);
    expect(await world.probe('/host/echo')).to.equal('Echo /host/echo');
    expect(await world.probe('/host/echo2')).to.equal('Echo /host/echo2');

    await world.request('/host', 'not_deployed');
    await world.waitForInstance('/host/echo', isIn('not_deployed'), SETTLE_MS);
    await world.waitForInstance('/host/echo2', isIn('not_deployed'), SETTLE_MS);

    const firewall = await world.targetFirewall();
    expect(firewall).not.to.match(opened(ECHO_PORTS['/host/echo']));
    expect(firewall).not.to.match(opened(ECHO_PORTS['/host/echo2']));
    expect(await world.probe('/host/echo2')).to.equal(null);
  });
});
