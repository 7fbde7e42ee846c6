import { join } from 'node:path';
import { expect } from 'chai';
import { DataSource } from 'typeorm';
import { CliWorld, MODEL_FIXTURES } from './support/cli-world';

const FINGERPRINT = `SHA256:${'R'.repeat(43)}`;

interface StoredTarget {
  user_name: string;
  host: string;
  port: number;
  host_key_fingerprint: string;
  use_sudo: boolean;
  sealed_password: unknown;
}

describe('flotilla instance add --ssh against a real DM', function () {
  this.timeout(120_000);
  let sut: CliWorld;

  before(async () => {
    sut = new CliWorld();
    await sut.start();
    expect((await sut.login()).code).to.equal(0);
    const created = await sut.cli([
      'app',
      'create',
      'lab',
      '--template',
      join(MODEL_FIXTURES, 'three-tier'),
    ]);
    expect(created.code, created.stderr).to.equal(0);
  });

  after(async () => {
    await sut.stop();
  });

  it('should add a root instance the DM reaches over SSH, with the password from stdin', async () => {
    const run = await sut.cli(
      [
        'instance',
        'add',
        'lab',
        '/',
        'VM',
        'edge-vm',
        '--ssh',
        'deploy@10.0.0.7:2222',
        '--host-key',
        FINGERPRINT,
        '--password-stdin',
        '--sudo',
      ],
      'pass from stdin\n',
    );

    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal('Added /edge-vm (VM, agentless at deploy@10.0.0.7:2222)\n');
    const stored = await sut.server.app.get(DataSource).query<StoredTarget[]>(
      `SELECT t.* FROM agentless_targets t JOIN instances i ON i.id = t.instance_id
         WHERE i.path = '/edge-vm'`,
    );
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({
      user_name: 'deploy',
      host: '10.0.0.7',
      port: 2222,
      host_key_fingerprint: FINGERPRINT,
      use_sudo: true,
    });
    expect(stored[0]?.sealed_password).not.to.equal(null);
    expect(JSON.stringify(stored)).not.to.contain('pass from stdin');
    const tree = await sut.cli(['instance', 'ls', 'lab']);
    expect(tree.stdout).to.match(/edge-vm .* ssh deploy@10\.0\.0\.7:2222 via -/);
  });

  it('should refuse --ssh without --host-key before adding anything', async () => {
    const run = await sut.cli(['instance', 'add', 'lab', '/', 'VM', 'other-vm', '--ssh', 'root@h']);

    expect(run.code).not.to.equal(0);
    expect(run.stderr).to.contain('--host-key');
    const instances = JSON.parse(
      (await sut.cli(['instance', 'ls', 'lab', '--json'])).stdout,
    ) as Array<{
      path: string;
    }>;
    expect(instances.map((instance) => instance.path)).not.to.include('/other-vm');
  });
});
