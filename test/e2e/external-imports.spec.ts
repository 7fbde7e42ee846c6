import { resolve } from 'node:path';
import { expect } from 'chai';
import type { StepRunPayload } from '@flotilla/protocol';
import { DeploymentWorld, type WorldLayout } from './support/deployment-world';

const FIXTURES = resolve(__dirname, 'fixtures');
const CACHE = '/store-vm/cache';
const SHOP = '/shop-vm/shop';

/**
 * `mall` (template external-shop) imports `external Store.ip, Store.port`; `store` and `annex`
 * (template external-store, exports-prefix Store) export their cache's address.
 */
const LAYOUT: WorldLayout = {
  templates: [resolve(FIXTURES, 'external-store'), resolve(FIXTURES, 'external-shop')],
  applications: [
    { name: 'store', template: 'external-store' },
    { name: 'annex', template: 'external-store' },
    { name: 'mall', template: 'external-shop' },
  ],
  hosts: {
    'store-host': [
      ['store', '/store-vm'],
      ['annex', '/store-vm'],
    ],
    'mall-host': [['mall', '/shop-vm']],
  },
};

describe('DM external imports through application bindings', function () {
  this.timeout(120_000);
  let world: DeploymentWorld;

  beforeEach(async () => {
    world = new DeploymentWorld(LAYOUT);
    await world.start();
    await world
      .api('post', '/applications/mall/bindings')
      .send({ prefix: 'Store', application: 'store' })
      .expect(200);
  });

  afterEach(async () => {
    await world.stop();
  });

  function shopRuns(step: string): StepRunPayload[] {
    return world
      .agent('mall-host')
      .steps.runs.filter((run) => run.instance.path === SHOP && run.step === step);
  }

  async function want(application: string, path: string, state: string): Promise<void> {
    await world
      .api('post', `/applications/${application}/instances/desired-state`)
      .send({ path, state })
      .expect(202);
  }

  async function startStoreAndMall(): Promise<void> {
    await world.api('post', '/applications/mall/actions/start-all').expect(202);
    await world.waitForStatesOf('mall', [SHOP], 'unresolved');
    await world.api('post', '/applications/store/actions/start-all').expect(202);
    await world.waitForStatesOf('mall', [SHOP], 'deployed_started');
  }

  it('should start the importer only once a bound application exports, with its values', async () => {
    await startStoreAndMall();

    const [start] = shopRuns('start');
    expect(start?.imports.Store).to.have.length(1);
    expect(start?.imports.Store?.[0]?.instancePath).to.equal(CACHE);
    expect(start?.imports.Store?.[0]?.variables).to.include({ 'Store.port': '16379' });
    expect(start?.imports.Store?.[0]?.variables).to.have.property('Store.ip');
  });

  it('should stop the importer when the exporter stops and start it when it is back', async () => {
    await startStoreAndMall();

    await want('store', CACHE, 'deployed_stopped');
    await world.waitForStatesOf('mall', [SHOP], 'unresolved');
    expect(shopRuns('stop')).to.have.length(1);

    await want('store', CACHE, 'deployed_started');
    await world.waitForStatesOf('mall', [SHOP], 'deployed_started');
    expect(shopRuns('start')).to.have.length(2);
  });

  it('should run the update step of a started importer when another bound exporter starts', async () => {
    await world
      .api('post', '/applications/mall/bindings')
      .send({ prefix: 'Store', application: 'annex' })
      .expect(200);
    await startStoreAndMall();

    await world.api('post', '/applications/annex/actions/start-all').expect(202);
    await world.waitForStatesOf('annex', [CACHE], 'deployed_started');
    const update = await world.agent('mall-host').steps.nextStep(SHOP, 'update');

    expect(update.importChange).to.deep.include({
      status: 'DEPLOYED_STARTED',
      instancePath: CACHE,
    });
    expect(update.imports.Store).to.have.length(2);
  });

  it('should start an unresolved importer when an operator binds a started exporter', async () => {
    await world.api('post', '/applications/mall/actions/start-all').expect(202);
    await world.waitForStatesOf('mall', [SHOP], 'unresolved');
    await world.api('post', '/applications/annex/actions/start-all').expect(202);
    await world.waitForStatesOf('annex', [CACHE], 'deployed_started');

    await world
      .api('post', '/applications/mall/bindings')
      .send({ prefix: 'Store', application: 'annex' })
      .expect(200);

    await world.waitForStatesOf('mall', [SHOP], 'deployed_started');
    expect(shopRuns('start')[0]?.imports.Store).to.have.length(1);
  });

  it('should import only from the applications bound to it', async () => {
    await world.api('post', '/applications/store/actions/start-all').expect(202);
    await world.waitForStatesOf('store', [CACHE], 'deployed_started');

    await world.api('post', '/applications/annex/actions/start-all').expect(202);
    await world.waitForStatesOf('annex', [CACHE], 'deployed_started');
    await world.api('post', '/applications/mall/actions/start-all').expect(202);

    await world.waitForStatesOf('mall', [SHOP], 'deployed_started');
    const [start] = shopRuns('start');
    expect(start?.imports.Store?.map((entry) => entry.instancePath)).to.deep.equal([CACHE]);
  });
});
