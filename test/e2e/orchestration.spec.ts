import { expect } from 'chai';
import type { StepRunPayload } from '@flotilla/protocol';
import { DeploymentWorld } from './support/deployment-world';

const ALL = ['/db-vm', '/db-vm/db', '/app-vm', '/app-vm/app', '/web-vm', '/web-vm/web'];
const TIERS = ['/db-vm/db', '/app-vm/app', '/web-vm/web'];

describe('DM orchestration with simulated agents', function () {
  this.timeout(120_000);
  let world: DeploymentWorld;

  beforeEach(async () => {
    world = new DeploymentWorld();
    await world.start();
  });

  afterEach(async () => {
    await world.stop();
  });

  function runs(): StepRunPayload[] {
    return [...world.agents.values()].flatMap((agent) => agent.steps.runs);
  }

  function indexOf(path: string, step: string): number {
    return runs().findIndex((run) => run.instance.path === path && run.step === step);
  }

  it('should start every tier in dependency order with the imports resolved when all are started', async () => {
    await world.api('post', '/applications/shop/actions/start-all').expect(202);

    await world.waitForStates(ALL, 'deployed_started');
    const appHost = world.agent('app-host').steps.runs;
    const order = (path: string, step: string) =>
      appHost.findIndex((run) => run.instance.path === path && run.step === step);
    expect(order('/app-vm/app', 'start')).to.be.lessThan(order('/web-vm/web', 'start'));
    const appStart = appHost[order('/app-vm/app', 'start')];
    expect(appStart?.imports.Database).to.deep.equal([
      {
        instancePath: '/db-vm/db',
        variables: {
          'Database.ip': '127.0.0.1',
          'Database.port': '15432',
          'Database.name': 'inventory',
        },
      },
    ]);
    const webStart = appHost[order('/web-vm/web', 'start')];
    expect(webStart?.imports.AppServer?.[0]?.variables).to.include({ 'AppServer.port': '18080' });
  });

  it('should stream state changes on /api/events when instances move', async () => {
    const controller = new AbortController();
    const response = await fetch(`${world.server.url}/api/events`, {
      headers: { authorization: `Bearer ${world.token}` },
      signal: controller.signal,
    });
    const timer = setTimeout(() => controller.abort(), 20_000);
    try {
      const received = readUntil(response, 'event: instance.state');
      await world.api('post', '/applications/shop/actions/deploy-all').expect(202);

      const text = await received;
      expect(response.headers.get('content-type')).to.contain('text/event-stream');
      expect(text).to.contain('"application":"shop"');
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  });

  it('should ship each bundle before the first step that needs it', async () => {
    await world.api('post', '/applications/shop/actions/deploy-all').expect(202);

    await world.waitForStates(TIERS, 'deployed_stopped');
    for (const run of runs()) {
      const agent = run.instance.path.startsWith('/db-vm') ? 'db-host' : 'app-host';
      expect(world.agent(agent).steps.bundles.has(run.bundle!.digest)).to.equal(true);
    }
  });

  it('should stop the dependents when the database is stopped', async () => {
    await world.api('post', '/applications/shop/actions/start-all').expect(202);
    await world.waitForStates(ALL, 'deployed_started');

    await world
      .api('post', '/applications/shop/instances/desired-state')
      .send({ path: '/db-vm/db', state: 'deployed_stopped' })
      .expect(202);

    await world.waitForStates(['/db-vm/db'], 'deployed_stopped');
    await world.waitForStates(['/app-vm/app', '/web-vm/web'], 'unresolved');
    expect(indexOf('/web-vm/web', 'stop')).to.be.greaterThan(-1);
    expect(indexOf('/app-vm/app', 'stop')).to.be.greaterThan(-1);
  });

  it('should undeploy children before parents and leave nothing deployed when undeploying all', async () => {
    await world.api('post', '/applications/shop/actions/start-all').expect(202);
    await world.waitForStates(ALL, 'deployed_started');

    await world.api('post', '/applications/shop/actions/undeploy-all').expect(202);

    await world.waitForStates(ALL, 'not_deployed');
    expect(indexOf('/web-vm/web', 'undeploy')).to.be.greaterThan(-1);
  });

  it('should record the exit code and log tail when a step fails', async () => {
    world.agent('db-host').steps.failing.add('/db-vm/db deploy');

    await world.api('post', '/applications/shop/actions/deploy-all').expect(202);

    await world.waitForStates(['/app-vm/app'], 'deployed_stopped');
    const db = (await world.instances()).get('/db-vm/db')!;
    expect(db.actualState).to.equal('not_deployed');
    expect(db.lastFailure).to.include({ step: 'deploy', exitCode: 1 });
    const logs = await world
      .api('get', `/applications/shop/instances/${encodeURIComponent('/db-vm/db')}/logs`)
      .expect(200);
    const [latest] = logs.body as Array<{ logTail: string }>;
    expect(latest).to.include({ step: 'deploy', status: 'failed', exitCode: 1 });
    expect(latest?.logTail).to.contain('deploy /db-vm/db failed');
  });

  it('should resend the bundle and the step when an agent reports the bundle missing', async () => {
    await world
      .api('post', '/applications/shop/instances/desired-state')
      .send({ path: '/db-vm', state: 'deployed_stopped' })
      .expect(202);
    await world.waitForStates(['/db-vm/db'], 'deployed_stopped');
    world.agent('db-host').steps.bundles.clear();

    await world
      .api('post', '/applications/shop/instances/desired-state')
      .send({ path: '/db-vm', state: 'deployed_started' })
      .expect(202);

    await world.waitForStates(['/db-vm/db'], 'deployed_started');
    expect(world.agent('db-host').steps.bundles.size).to.equal(1);
  });

  it('should end with everything started, each job run once, when the DM restarts mid-deployment', async () => {
    world.agent('app-host').steps.hold();
    await world.api('post', '/applications/shop/actions/start-all').expect(202);
    await world.waitForStates(['/db-vm/db'], 'deployed_started');

    await world.server.close();
    await world.startDm();
    await world.agent('app-host').steps.release();

    await world.waitForStates(ALL, 'deployed_started');
    const jobs = runs().map((run) => run.jobId);
    expect(new Set(jobs).size).to.equal(jobs.length);
    const steps = runs().map((run) => `${run.instance.path} ${run.step}`);
    expect(new Set(steps).size).to.equal(steps.length);
  });
});

/** Reads a streamed response until its text contains `marker` (the caller aborts on timeout). */
async function readUntil(response: Response, marker: string): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (chunk.done) {
      break;
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}
