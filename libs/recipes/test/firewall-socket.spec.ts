import { expect } from 'chai';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultFirewallHelperPath,
  FirewallSocketServer,
  NoFirewall,
  PortLedger,
} from '@flotilla/recipes';
import { runCommand } from '../../../test/support/netns';

/** Sends one raw line to the socket and returns the answer line. */
async function ask(socketPath: string, line: string): Promise<unknown> {
  const socket = createConnection(socketPath);
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  let reply = '';
  socket.on('data', (chunk: string) => (reply += chunk));
  socket.write(line);
  await once(socket, 'end');
  socket.destroy();
  return JSON.parse(reply);
}

describe(FirewallSocketServer.name, () => {
  let dir: string;
  let firewall: NoFirewall;
  let sut: FirewallSocketServer;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-fwsock-'));
    firewall = new NoFirewall({ ledger: new PortLedger(join(dir, 'ledger.json')) });
    sut = await FirewallSocketServer.start({
      firewall,
      owner: '/vm/app',
      parentDir: join(dir, 'run'),
    });
  });

  afterEach(async () => {
    await sut.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('start', () => {
    it('should serve from a private directory that only its owner can enter', async () => {
      const info = await stat(join(sut.socketPath, '..'));
      expect(info.mode & 0o777).to.equal(0o700);
      expect((await stat(sut.socketPath)).mode & 0o777).to.equal(0o600);
    });
  });

  describe('requests', () => {
    it('should record an opened port against the step instance, whatever the client says', async () => {
      expect(
        await ask(sut.socketPath, '{"action":"open","rule":"8080/tcp","owner":"/vm/other"}\n'),
      ).to.deep.equal({ ok: true });
      expect(await firewall.list()).to.deep.equal([
        { owner: '/vm/app', rules: [{ port: 8080, protocol: 'tcp' }] },
      ]);
    });

    const refused: [string, string][] = [
      ['{"action":"flush","rule":"8080/tcp"}\n', 'unknown action "flush"'],
      ['{"action":"open","rule":"0/tcp"}\n', 'Invalid port "0/tcp"'],
      ['not json\n', 'JSON'],
      [`${'x'.repeat(2000)}\n`, 'request longer than 1024 bytes'],
    ];
    for (const [line, message] of refused) {
      it(`should refuse ${JSON.stringify(line.slice(0, 40))} with an error naming the problem`, async () => {
        const answer = (await ask(sut.socketPath, line)) as { ok: boolean; error: string };
        expect(answer.ok).to.equal(false);
        expect(answer.error).to.contain(message);
        expect(await firewall.list()).to.deep.equal([]);
      });
    }
  });

  describe('close', () => {
    it('should remove the socket and its directory', async () => {
      await sut.close();
      expect(await stat(join(sut.socketPath, '..')).catch(() => 'absent')).to.equal('absent');
    });
  });
});

describe('flotilla-fw', () => {
  const helper = defaultFirewallHelperPath();

  const usage: [string[], number, string][] = [
    [[], 2, 'unknown action ""'],
    [['open'], 2, 'invalid port ""'],
    [['open', '65536/tcp'], 2, 'invalid port "65536/tcp"'],
    [['close', '22/icmp'], 2, 'invalid port "22/icmp"'],
    [['open', '22/tcp', 'extra'], 2, 'invalid port'],
    [['open', '22/tcp'], 1, 'FLOTILLA_FW_SOCKET is not set'],
  ];
  for (const [args, exitCode, message] of usage) {
    it(`should exit ${exitCode} saying "${message}" for: flotilla-fw ${args.join(' ')}`, async () => {
      const result = await runCommand('env', ['-u', 'FLOTILLA_FW_SOCKET', helper, ...args]);
      expect(result.exitCode).to.equal(exitCode);
      expect(result.stderr).to.contain(message);
    });
  }

  it('should exit 1 when the agent cannot be reached', async () => {
    const result = await runCommand('env', [
      'FLOTILLA_FW_SOCKET=/nonexistent/fw.sock',
      helper,
      'open',
      '80/tcp',
    ]);
    expect(result.exitCode).to.equal(1);
    expect(result.stderr).to.contain('cannot reach the agent at /nonexistent/fw.sock');
  });
});
