import { expect } from 'chai';
import { RealAgentsWorld } from './support/real-agents-world';

const APP = 'shop';
const ALL = ['/db-vm', '/db-vm/db', '/app-vm', '/app-vm/app', '/web-vm', '/web-vm/web'];
const TIERS = ['/db-vm/db', '/app-vm/app', '/web-vm/web'];
/** Real recipes, real processes, two hosts: generous, never asserted. */
const SETTLE_MS = 90_000;

describe('three-tier sample on real agents in network namespaces', function () {
  this.timeout(300_000);
  let world: RealAgentsWorld;

  beforeEach(async () => {
    world = new RealAgentsWorld();
    try {
      await world.start();
    } catch (error: unknown) {
      await world.stop();
      throw error;
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      process.stderr.write(world.agentLogs().slice(-20_000));
    }
    await world.stop();
  });

  async function startAll(): Promise<void> {
    await world.client.api('post', `/applications/${APP}/actions/start-all`).expect(202);
    await world.client.waitForStates(APP, ALL, 'deployed_started', SETTLE_MS);
  }

  it('should start the tiers with the imported addresses and serve them to a third host', async () => {
    await startAll();

    const db = world.host('db-agent').address;
    const app = world.host('app-agent').address;
    expect(await world.probe(db, 15432)).to.equal('Database /db-vm/db');
    expect(await world.probe(app, 18080)).to.equal(`AppServer /app-vm/app uses ${db}:15432`);
    expect(await world.probe(app, 18081))
      .to.be.a('string')
      .and.contain(`${app}:18080`);
  });

  it('should stop the dependents when the database stops, and close every port when undeploying all', async () => {
    await startAll();

    await world.client
      .api('post', `/applications/${APP}/instances/desired-state`)
      .send({ path: '/db-vm/db', state: 'deployed_stopped' })
      .expect(202);
    await world.client.waitForStates(APP, ['/app-vm/app', '/web-vm/web'], 'unresolved', SETTLE_MS);
    await world.client.api('post', `/applications/${APP}/actions/undeploy-all`).expect(202);
    await world.client.waitForStates(APP, TIERS, 'not_deployed', SETTLE_MS);

    const db = world.host('db-agent').address;
    const app = world.host('app-agent').address;
    expect(await world.probe(db, 15432)).to.equal(null);
    expect(await world.probe(app, 18080)).to.equal(null);
    expect(await world.probe(app, 18081)).to.equal(null);
  });

  it('should end with everything started when the DM restarts in the middle of the deployment', async () => {
    await world.client.api('post', `/applications/${APP}/actions/start-all`).expect(202);
    await world.client.waitForStates(APP, ['/db-vm/db'], 'deployed_started', SETTLE_MS);

    await world.server.close();
    await world.startDm();

    await world.client.waitForStates(APP, ALL, 'deployed_started', SETTLE_MS);
    const app = world.host('app-agent').address;
    expect(await world.probe(app, 18080)).to.be.a('string');
  });
});
