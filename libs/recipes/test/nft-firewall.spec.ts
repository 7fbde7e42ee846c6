import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCommandExecutor,
  NftFirewall,
  parsePortRule,
  PortLedger,
  RecipeStepExecutor,
  ScriptRunner,
} from '@flotilla/recipes';
import { TestNetwork, type TestHost } from '../../../test/support/netns';
import { canConnect, startTcpServer, stopTcpServer } from './firewall-probe';
import { environmentFor, writeScript } from './recipe-fixtures';

const PORT = 8080;

describe(`${NftFirewall.name} (managed mode, in network namespaces)`, () => {
  let network: TestNetwork;
  let web: TestHost;
  let client: TestHost;
  let dir: string;
  let server: ChildProcess | undefined;

  function firewallFor(host: TestHost): NftFirewall {
    return new NftFirewall({
      ledger: new PortLedger(join(dir, 'ledger.json')),
      managed: true,
      alwaysOpen: [parsePortRule('22/tcp')],
      executor: createCommandExecutor(host.execPrefix),
    });
  }

  async function runStep(firewall: NftFirewall, instance: string, body: string): Promise<string> {
    const executor = new RecipeStepExecutor({
      runner: new ScriptRunner(),
      firewall,
      socketParentDir: dir,
    });
    const outcome = await executor.execute({
      step: 'start',
      scriptPath: await writeScript(dir, `${instance}-${Date.now()}.sh`, body),
      cwd: dir,
      environment: environmentFor(instance, join(dir, 'files')),
      timeoutMs: 30_000,
      outputCapBytes: 64 * 1024,
    });
    expect(outcome.status, outcome.logTail).to.equal('succeeded');
    return outcome.logTail;
  }

  before(async () => {
    network = await TestNetwork.create();
    web = await network.addHost('web');
    client = await network.addHost('client');
  });

  after(async () => {
    await network?.destroy();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-nft-'));
    await web.exec('nft', ['delete', 'table', 'inet', 'flotilla']);
    server = await startTcpServer(web, PORT);
  });

  afterEach(async () => {
    await stopTcpServer(server);
    await rm(dir, { recursive: true, force: true });
  });

  it('should make a port reachable from another host after a recipe opens it, and not after it closes it', async () => {
    const firewall = firewallFor(web);
    await firewall.reconcile();
    expect(await canConnect(client, web, PORT)).to.equal(false);
    await runStep(firewall, 'app', `flotilla-fw open ${PORT}/tcp`);
    expect(await canConnect(client, web, PORT)).to.equal(true);
    await runStep(firewall, 'app', `"$FLOTILLA_FW" close ${PORT}/tcp`);
    expect(await canConnect(client, web, PORT)).to.equal(false);
  });

  it('should close the ports an instance opened when it is undeployed, even if its script forgot', async () => {
    const firewall = firewallFor(web);
    await runStep(firewall, 'app', `flotilla-fw open ${PORT}/tcp && flotilla-fw open 5353/udp`);
    expect(await canConnect(client, web, PORT)).to.equal(true);
    const closed = await firewall.closeAllFor('/vm/app');
    expect(closed).to.deep.equal([
      { port: PORT, protocol: 'tcp' },
      { port: 5353, protocol: 'udp' },
    ]);
    expect(await canConnect(client, web, PORT)).to.equal(false);
    expect(await firewall.list()).to.deep.equal([]);
  });

  it('should keep a port open while another instance still holds it', async () => {
    const firewall = firewallFor(web);
    await runStep(firewall, 'one', `flotilla-fw open ${PORT}/tcp`);
    await runStep(firewall, 'two', `flotilla-fw open ${PORT}/tcp`);
    await firewall.closeAllFor('/vm/one');
    expect(await canConnect(client, web, PORT)).to.equal(true);
  });

  it('should reopen ledger ports removed behind its back when a new firewall reconciles', async () => {
    await runStep(firewallFor(web), 'app', `flotilla-fw open ${PORT}/tcp`);
    await web.exec('nft', ['delete', 'element', 'inet', 'flotilla', 'open_tcp', `{ ${PORT} }`]);
    expect(await canConnect(client, web, PORT)).to.equal(false);
    const report = await firewallFor(web).reconcile();
    expect(report.reopened).to.deep.equal([{ port: PORT, protocol: 'tcp' }]);
    expect(report.closed).to.deep.equal([]);
    expect(await canConnect(client, web, PORT)).to.equal(true);
  });

  it('should close ports left open without a ledger owner when a new firewall reconciles', async () => {
    await firewallFor(web).reconcile();
    await web.exec('nft', ['add', 'element', 'inet', 'flotilla', 'open_tcp', `{ ${PORT} }`]);
    expect(await canConnect(client, web, PORT)).to.equal(true);
    const report = await firewallFor(web).reconcile();
    expect(report.closed).to.deep.equal([{ port: PORT, protocol: 'tcp' }]);
    expect(await canConnect(client, web, PORT)).to.equal(false);
  });

  it('should remove and report a port rule someone added to its chain by hand', async () => {
    await firewallFor(web).reconcile();
    await web.exec('nft', [
      'add',
      'rule',
      'inet',
      'flotilla',
      'input',
      'tcp',
      'dport',
      String(PORT),
      'accept',
    ]);
    expect(await canConnect(client, web, PORT)).to.equal(true);
    const report = await firewallFor(web).reconcile();
    expect(report.closed).to.deep.equal([{ port: PORT, protocol: 'tcp' }]);
    expect(await canConnect(client, web, PORT)).to.equal(false);
  });

  it('should rebuild its table when the whole table was deleted', async () => {
    await runStep(firewallFor(web), 'app', `flotilla-fw open ${PORT}/tcp`);
    await web.exec('nft', ['delete', 'table', 'inet', 'flotilla']);
    const report = await firewallFor(web).reconcile();
    expect(report.rebuilt).to.equal(true);
    expect(await canConnect(client, web, PORT)).to.equal(true);
  });

  it('should drop nothing and only record ports when managed mode is off', async () => {
    const sut = new NftFirewall({
      ledger: new PortLedger(join(dir, 'ledger.json')),
      executor: createCommandExecutor(web.execPrefix),
    });
    await sut.reconcile();
    expect(await canConnect(client, web, PORT)).to.equal(true);
    await sut.open({ port: PORT, protocol: 'tcp' }, '/vm/app');
    const listed = await web.exec('nft', ['list', 'set', 'inet', 'flotilla', 'open_tcp']);
    expect(listed.stdout).to.contain(`elements = { ${PORT} }`);
    await sut.closeAllFor('/vm/app');
    expect(await canConnect(client, web, PORT)).to.equal(true);
  });

  it('should fail the recipe with a clear message when the port is invalid', async () => {
    const executor = new RecipeStepExecutor({
      runner: new ScriptRunner(),
      firewall: firewallFor(web),
      socketParentDir: dir,
    });
    const outcome = await executor.execute({
      step: 'start',
      scriptPath: await writeScript(dir, 'bad.sh', 'flotilla-fw open 70000/tcp'),
      cwd: dir,
      environment: environmentFor('app', join(dir, 'files')),
      timeoutMs: 30_000,
      outputCapBytes: 4096,
    });
    expect(outcome.status).to.equal('failed');
    expect(outcome.result?.exitCode).to.equal(2);
    expect(outcome.logTail).to.contain('invalid port "70000/tcp"');
  });
});
