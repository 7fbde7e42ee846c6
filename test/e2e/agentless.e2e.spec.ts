import { expect } from 'chai';
import { AgentlessWorld, ECHO_PORT } from './support/agentless-world';

/** Real sshd, real proxies, real recipes: generous, never asserted. */
const SETTLE_MS = 60_000;

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

  const isIn = (state: string) => (instance: { actualState: string }) =>
    instance.actualState === state;

  it('should deploy and start a component whose port then answers, and close it when undeployed', async () => {
    await world.request('/host', 'deployed_started');
    await world.request('/host/echo', 'deployed_started');
    await world.waitForInstance('/host/echo', isIn('deployed_started'), SETTLE_MS);

    expect(await world.probe()).to.equal('Echo /host/echo');
    expect(await world.targetFirewall()).to.match(new RegExp(`\\b${ECHO_PORT}\\b`));

    await world.request('/host/echo', 'not_deployed');
    await world.waitForInstance('/host/echo', isIn('not_deployed'), SETTLE_MS);

    expect(await world.probe()).to.equal(null);
    expect(await world.targetFirewall()).not.to.match(new RegExp(`\\b${ECHO_PORT}\\b`));
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
    expect(failure).to.contain('SSH_HOST_KEY_MISMATCH');
    expect(failure).to.contain(world.sshd.hostKey.fingerprint);
    const declared = (
      await world.client
        .api('get', `/applications/${world.application}/agentless-targets`)
        .expect(200)
    ).body as Array<{ path: string; hostKeyFingerprint: string }>;
    const pinned = declared.find((target) => target.path === '/impostor')?.hostKeyFingerprint;
    expect(failure).to.contain(pinned);
    expect(failed.actualState).to.equal('not_deployed');
  });

  it('should finish the deployment through the second proxy when the first is killed mid-step', async () => {
    const running = world.waitForOutput('proxy-a', '/host/echo', SETTLE_MS);
    await world.request('/host/echo', 'deployed_started');
    await running;

    await world.agents.get('proxy-a')!.kill();
    await world.waitForInstance('/host/echo', isIn('deployed_started'), SETTLE_MS);

    expect(await world.probe()).to.equal('Echo /host/echo');
    const targets = (
      await world.client
        .api('get', `/applications/${world.application}/agentless-targets`)
        .expect(200)
    ).body as Array<{ path: string; servingProxy: string | null }>;
    expect(targets.find((target) => target.path === '/host')?.servingProxy).to.equal(
      world.proxyName('proxy-b'),
    );
  });
});
