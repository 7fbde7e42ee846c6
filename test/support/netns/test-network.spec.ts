import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { NETNS_STATE_DIR, removeLeftoverNetworks } from './netns-registry';
import { runCommand } from './run-command';
import type { TestHost } from './test-host';
import { TestNetwork } from './test-network';

/** How a TCP connection from `host` to `address:port` ends: `connected` or the error code. */
async function tcpAnswer(host: TestHost, address: string, port: number): Promise<string> {
  const probe = `require('net').connect(${port}, '${address}')
    .on('connect', function () { console.log('connected'); this.destroy(); })
    .on('error', (e) => console.log(e.code)).setTimeout(3000, () => { console.log('TIMEOUT'); process.exit(); })`;
  return (await host.exec('node', ['-e', probe])).stdout.trim();
}

async function namespaces(): Promise<string> {
  return (await runCommand('ip', ['netns', 'list'])).stdout;
}

describe(TestNetwork.name, () => {
  describe('addHost', () => {
    let network: TestNetwork | undefined;

    afterEach(async () => {
      await network?.destroy();
    });

    it('should give hosts addresses on one /24 that reach each other and the root side', async () => {
      network = await TestNetwork.create();
      const a = await network.addHost('a');
      const b = await network.addHost('b');
      expect(a.address.split('.').slice(0, 3)).to.deep.equal(b.address.split('.').slice(0, 3));
      // A refused connection proves the packet got there and the answer came back.
      expect(await tcpAnswer(a, b.address, 1)).to.equal('ECONNREFUSED');
      expect(await tcpAnswer(b, a.address, 1)).to.equal('ECONNREFUSED');
      // RabbitMQ listens on every interface of the root namespace.
      expect(await tcpAnswer(a, network.gatewayAddress, 5672)).to.equal('connected');
      const routes = await a.exec('ip', ['-4', 'route']);
      expect(routes.stdout).not.to.contain('default');
    });
  });

  describe('destroy', () => {
    it('should remove every namespace and the bridge, and be safe to call twice', async () => {
      const network = await TestNetwork.create();
      const host = await network.addHost('gone');
      await network.destroy();
      await network.destroy();
      expect(await namespaces()).not.to.contain(host.namespace);
    });
  });

  describe('removeLeftoverNetworks', () => {
    it('should remove the networks of a test process that died without cleaning up', async () => {
      const script = [
        "require('ts-node/register/transpile-only');",
        "const { TestNetwork } = require('./test-network');",
        "TestNetwork.create().then((n) => n.addHost('orphan')).then((h) => { console.log(h.namespace); process.exit(0); });",
      ].join('\n');
      const child = spawn('node', ['-e', script], {
        cwd: __dirname,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      await once(child, 'exit');
      const orphan = Buffer.concat(chunks).toString().trim();
      expect(orphan).to.match(/^flt-\d+-/);
      expect(await namespaces()).to.contain(orphan);
      await removeLeftoverNetworks();
      expect(await namespaces()).not.to.contain(orphan);
      const records = await readdir(NETNS_STATE_DIR);
      expect(records.some((name) => orphan.includes(name.replace('.json', '')))).to.equal(false);
    });
  });
});
