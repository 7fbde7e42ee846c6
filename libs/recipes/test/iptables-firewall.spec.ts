import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCommandExecutor,
  IptablesFirewall,
  parsePortRule,
  PortLedger,
} from '@flotilla/recipes';
import { TestNetwork, type TestHost } from '../../../test/support/netns';
import { canConnect, startTcpServer, stopTcpServer } from './firewall-probe';

const PORT = 8081;
const OWNER = '/vm/app';

describe(`${IptablesFirewall.name} (managed mode, in network namespaces)`, () => {
  let network: TestNetwork;
  let web: TestHost;
  let client: TestHost;
  let dir: string;
  let server: ChildProcess | undefined;

  function firewallFor(host: TestHost): IptablesFirewall {
    return new IptablesFirewall({
      ledger: new PortLedger(join(dir, 'ledger.json')),
      managed: true,
      alwaysOpen: [parsePortRule('22/tcp')],
      executor: createCommandExecutor(host.execPrefix),
    });
  }

  before(async () => {
    network = await TestNetwork.create();
    web = await network.addHost('web');
    client = await network.addHost('client');
    dir = await mkdtemp(join(tmpdir(), 'flotilla-iptables-'));
    server = await startTcpServer(web, PORT);
  });

  after(async () => {
    await stopTcpServer(server);
    await network?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('should drop new inbound connections until a port is opened, and again after it is closed', async () => {
    const sut = firewallFor(web);
    await sut.reconcile();
    expect(await canConnect(client, web, PORT)).to.equal(false);
    await sut.open({ port: PORT, protocol: 'tcp' }, OWNER);
    expect(await canConnect(client, web, PORT)).to.equal(true);
    await sut.close({ port: PORT, protocol: 'tcp' }, OWNER);
    expect(await canConnect(client, web, PORT)).to.equal(false);
  });

  it('should close every port of an undeployed instance and match the ledger after a restart', async () => {
    await firewallFor(web).open({ port: PORT, protocol: 'tcp' }, OWNER);
    await web.exec('iptables', ['-F', 'FLOTILLA-PORTS']);
    const restarted = firewallFor(web);
    const report = await restarted.reconcile();
    expect(report.reopened).to.deep.equal([{ port: PORT, protocol: 'tcp' }]);
    expect(await canConnect(client, web, PORT)).to.equal(true);
    expect(await restarted.closeAllFor(OWNER)).to.deep.equal([{ port: PORT, protocol: 'tcp' }]);
    expect(await canConnect(client, web, PORT)).to.equal(false);
  });

  it('should apply the same rules to IPv6 through ip6tables', async () => {
    const sut = firewallFor(web);
    await sut.open({ port: PORT, protocol: 'tcp' }, OWNER);
    const ports = await web.exec('ip6tables', ['-S', 'FLOTILLA-PORTS']);
    expect(ports.stdout).to.contain(`--dport ${PORT} -j ACCEPT`);
    const base = await web.exec('ip6tables', ['-S', 'FLOTILLA']);
    expect(base.stdout).to.contain('--icmpv6-type 135 -j ACCEPT').and.contain('-j DROP');
    await sut.closeAllFor(OWNER);
    expect((await web.exec('ip6tables', ['-S', 'FLOTILLA-PORTS'])).stdout).not.to.contain(
      `--dport ${PORT}`,
    );
  });

  it('should jump to its chain from INPUT exactly once however often it reconciles', async () => {
    const sut = firewallFor(web);
    await sut.reconcile();
    await sut.reconcile();
    const input = await web.exec('iptables', ['-S', 'INPUT']);
    expect(input.stdout.split('\n').filter((line) => line.includes('-j FLOTILLA'))).to.have.length(
      1,
    );
  });
});
