import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentTestWorld } from './support/agent-test-world';

const AGENT = 'importing-host';

describe('Agent update.sh on an import change (agent in a network namespace)', function () {
  this.timeout(120_000);
  let world: AgentTestWorld;

  before(async () => {
    world = await AgentTestWorld.create();
    const host = await world.addHost('importing');
    await world.startAcceptedAgent(host, AGENT);
    await world.shipBundle(AGENT, 'Importer');
  });

  after(async () => {
    await world?.destroy();
  });

  it('should give update.sh the changed import and every resolved import under Roboconf names', async () => {
    const report = join(world.directory, 'update-env.txt');
    const command = {
      ...world.stepCommand({
        component: 'Importer',
        instancePath: '/vm/app',
        step: 'update',
        exports: { 'Importer.report': report },
      }),
      imports: {
        Db: [{ instancePath: '/vm2/db', variables: { 'Db.ip': '10.0.0.7', 'Db.port': '5432' } }],
      },
      ancestors: [{ component: 'Vm', variables: { 'Vm.ip': '10.0.0.1' } }],
      importChange: {
        status: 'DEPLOYED_STARTED',
        instancePath: '/vm2/db',
        component: 'Db',
        variables: { 'Db.ip': '10.0.0.7', 'Db.port': '5432' },
      },
    };

    const result = await world.runStep(AGENT, command);

    expect(result.status, result.logTail).to.equal('succeeded');
    const env = (await readFile(report, 'utf8')).split('\n');
    expect(env).to.include.members([
      'Db_size=1',
      'Db_0_name=/vm2/db',
      'Db_0_port=5432',
      'ROBOCONF_UPDATE_STATUS=DEPLOYED_STARTED',
      'ROBOCONF_IMPORT_CHANGED_INSTANCE_PATH=/vm2/db',
      'ROBOCONF_IMPORT_CHANGED_COMPONENT=Db',
      'ROBOCONF_IMPORT_CHANGED_port=5432',
      'ROBOCONF_INSTANCE_PATH=/vm/app',
      'ANCESTOR_Vm_ip=10.0.0.1',
    ]);
  });
});
