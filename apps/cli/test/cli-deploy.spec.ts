import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeploymentWorld } from '../../../test/e2e/support/deployment-world';
import { E2E_ADMIN_PASSWORD } from '../../../test/e2e/support/test-dm';
import { runFlotilla, type CliRun } from './support/run-flotilla';

describe('flotilla deploy|start|stop with agents (simulated over RabbitMQ)', function () {
  this.timeout(180_000);
  const world = new DeploymentWorld();
  let home: string;
  const flotilla = (args: readonly string[], input?: string): Promise<CliRun> =>
    runFlotilla(args, { home, ...(input === undefined ? {} : { input }) });

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'flotilla-cli-home-'));
    await world.start();
    const login = await flotilla(
      ['login', '--url', world.server.url, '--password-stdin'],
      `${E2E_ADMIN_PASSWORD}\n`,
    );
    expect(login.code, login.stderr).to.equal(0);
  });

  after(async () => {
    await world.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('should wait with a progress bar until every instance is started', async () => {
    const run = await flotilla(['start', 'shop']);
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-2)).to.match(/^\[#{30}\] 6\/6 deployed_started$/);
    expect(lines.at(-1)).to.equal('shop: every instance is deployed_started');
    const instances = JSON.parse((await flotilla(['instance', 'ls', 'shop', '--json'])).stdout) as {
      state: string;
    }[];
    expect(new Set(instances.map((instance) => instance.state))).to.deep.equal(
      new Set(['deployed_started']),
    );
  });

  it("should exit 1 with the failing instance's log tail when a step fails", async () => {
    world.agent('db-host').steps.failing.add('/db-vm/db stop');
    const run = await flotilla(['stop', 'shop', '/db-vm']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(
      /^flotilla: \/db-vm\/db: step stop failed \(exit code 1\) on agent \S+, back in deployed_started\n--- last lines of its log ---\n\S+: stop \/db-vm\/db failed\n$/,
    );
  });

  it('should show the failed run with its exit code in flotilla logs', async () => {
    const run = await flotilla(['logs', 'shop', '/db-vm/db']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(
      /== stop \(attempt 1\) failed, exit 1, agent \S+, sent \S+\n\S+: stop \/db-vm\/db failed\n/,
    );
  });
});
