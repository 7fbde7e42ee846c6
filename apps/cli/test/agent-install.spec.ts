import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DM_IDENTITY } from '@flotilla/dm';
import { escapeRegex, type Identity } from '@flotilla/messaging';
import { runChecked, runCommand, TestNetwork, type TestHost } from '../../../test/support/netns';
import { makeKeyPair, SshdServer } from '../../../libs/recipes/test/ssh/sshd-server';
import { isProcessAlive } from '../../../libs/recipes/test/ssh/ssh-test-target';
import { createPasswordUser, throwawayUserName } from '../../../libs/recipes/test/throwaway-users';
import { CliWorld } from './support/cli-world';
import type { CliRun } from './support/run-flotilla';

const SSH_PORT = 2222;
const ENROLL_PASSWORD = 'install-enroll-secret';
const STOP_TIMEOUT_MS = 15_000;
const HELLO_TEMPLATE = join(__dirname, 'fixtures', 'hello');

interface JsonAgent {
  name: string;
  state: string;
  thumbprint: string;
  lastSeenAt: string | null;
  isLost: boolean;
}
interface JsonAuditEntry {
  action: string;
}

describe('flotilla agent install --ssh (real DM, sshd in a network namespace)', function () {
  this.timeout(120_000);
  const world = new CliWorld();
  const name = `inst-${world.broker.id.slice(2, 10).toLowerCase()}`;
  const userAgentName = `${name}-user`;
  const userName = throwawayUserName('i');
  const userPassword = `pw-${randomBytes(12).toString('hex')}`;
  let network: TestNetwork;
  let host: TestHost;
  let sshd: SshdServer;
  let dir: string;
  let prefix: string;
  let keyFile: string;
  let brokerUrl: string;
  const startedPids: number[] = [];

  before(async () => {
    await world.start();
    expect((await world.login()).code).to.equal(0);
    network = await TestNetwork.create();
    host = await network.addHost('target');
    sshd = await SshdServer.start(host, SSH_PORT, { isPasswordAllowed: true });
    dir = await mkdtemp(join(tmpdir(), 'flotilla-agent-install-'));
    await createUser();
    prefix = join(dir, 'root');
    keyFile = join(dir, 'client_key');
    await writeFile(keyFile, sshd.clientKey.privateKey, { mode: 0o600 });
    const enrollUser = world.broker.userName('enroll');
    await world.broker.management.putUser(enrollUser, ENROLL_PASSWORD);
    await world.broker.management.setPermissions(enrollUser, {
      configure: '^$',
      write: `^${escapeRegex(world.broker.topology.enrollExchange)}$`,
      read: '^$',
    });
    brokerUrl = `amqp://${enrollUser}:${ENROLL_PASSWORD}@${network.gatewayAddress}:5672/flotilla`;
  });

  after(async () => {
    for (const pid of startedPids) {
      await stopProcess(pid);
    }
    await sshd?.stop();
    await network?.destroy();
    for (const agent of [name, userAgentName]) {
      await world.broker.management.deleteUser(`flotilla-agent-${agent}`).catch(() => undefined);
    }
    await runCommand('userdel', [userName]);
    await world.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** An unprivileged user with a password, owning a prefix it can install into. */
  async function createUser(): Promise<void> {
    await createPasswordUser('i', userName, userPassword);
    const uid = Number((await runChecked('id', ['-u', userName])).trim());
    const gid = Number((await runChecked('id', ['-g', userName])).trim());
    await chmod(dir, 0o755); // the user reaches its prefix; the client key stays 0600
    await mkdir(join(dir, 'user-root'));
    await chown(join(dir, 'user-root'), uid, gid);
  }

  function install(options: {
    prefix: string;
    hostKey: string;
    agent?: string;
    /** The --ssh value and credential options; root with the client key by default. */
    login?: readonly string[];
    input?: string;
  }): Promise<CliRun> {
    const login = options.login ?? [`root@${host.address}:${SSH_PORT}`, '--identity', keyFile];
    return world.cli(
      [
        'agent',
        'install',
        '--ssh',
        ...login,
        '--host-key',
        options.hostKey,
        '--name',
        options.agent ?? name,
        '--broker',
        brokerUrl,
        '--firewall',
        'none',
        // The namespace shares this machine's file system: never touch its /opt, /etc or units.
        '--prefix',
        options.prefix,
        '--no-systemd',
        '--wait',
        '60',
      ],
      options.input,
    );
  }

  async function agentPid(root = prefix): Promise<number> {
    const pid = Number(await readFile(join(root, 'var/lib/flotilla-agent/agent.pid'), 'utf8'));
    startedPids.push(pid);
    return pid;
  }

  async function agents(): Promise<JsonAgent[]> {
    const run = await world.cli(['agent', 'ls', '--json']);
    expect(run.code, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as JsonAgent[];
  }

  async function auditActions(): Promise<string[]> {
    const run = await world.cli(['audit', '--json', '--target', `agent:${name}`]);
    expect(run.code, run.stderr).to.equal(0);
    return (JSON.parse(run.stdout) as JsonAuditEntry[]).map((entry) => entry.action);
  }

  it('should install, start and enroll the agent in the host, trusted without a manual accept', async () => {
    const run = await install({ prefix, hostKey: sshd.hostKey.fingerprint });

    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    expect(run.stdout).to.contain('[6/9] Pre-registering agent').and.contain('registered');
    expect(run.stdout).to.contain('[8/9] Starting the agent... started directly (');
    const pid = await agentPid();
    expect(await isProcessAlive(pid)).to.equal(true);
    const where = await host.exec('ip', ['netns', 'identify', String(pid)]);
    expect(where.stdout.trim()).to.equal(host.namespace);
    const thumbprint = /thumbprint ([0-9a-f]{64})\n/.exec(run.stdout)?.[1];
    const listed = (await agents()).find((agent) => agent.name === name);
    expect(listed).to.include({ state: 'trusted', thumbprint: `sha256:${thumbprint}` });
    expect(listed?.lastSeenAt).to.be.a('string');
    expect(await auditActions())
      .to.include('agent.preregistered')
      .and.not.include('agent.accept');
  });

  it('should write the DM thumbprint and broker settings to a 0600 agent.env', async () => {
    const envFile = join(prefix, 'etc/flotilla/agent.env');
    const dm = world.server.app.get<Identity>(DM_IDENTITY);

    const content = await readFile(envFile, 'utf8');

    expect((await stat(envFile)).mode & 0o777).to.equal(0o600);
    expect(content).to.contain(`FLOTILLA_DM_THUMBPRINT='${dm.thumbprint}'`);
    expect(content).to.contain(`FLOTILLA_BROKER_NAMESPACE='${world.broker.id}'`);
    expect(content).to.contain(`FLOTILLA_AGENT_NAME='${name}'`);
  });

  it('should keep the identity and the registration when run twice, restarting the agent', async () => {
    const before = (await agents()).find((agent) => agent.name === name);
    const oldPid = await agentPid();

    const run = await install({ prefix, hostKey: sshd.hostKey.fingerprint });

    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    expect(run.stdout).to.match(/Pre-registering agent \S+ with the DM\.\.\. unchanged \(/);
    const newPid = await agentPid();
    expect(newPid).to.not.equal(oldPid);
    expect(await isProcessAlive(oldPid)).to.equal(false);
    expect(await isProcessAlive(newPid)).to.equal(true);
    const same = (await agents()).filter((agent) => agent.name === name);
    expect(same).to.have.length(1);
    expect(same[0]).to.include({ state: 'trusted', thumbprint: before?.thumbprint });
    const preregistrations = (await auditActions()).filter((a) => a === 'agent.preregistered');
    expect(preregistrations).to.have.length(1);
  });

  it("should run a deployment's steps on the installed agent", async () => {
    const created = await world.cli(['app', 'create', 'hello', '--template', HELLO_TEMPLATE]);
    expect(created.code, created.stderr).to.equal(0);
    const bound = await world.cli(['instance', 'bind', 'hello', '/hello-vm', name]);
    expect(bound.code, bound.stderr).to.equal(0);

    const run = await world.cli(['start', 'hello']);

    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    expect(run.stdout).to.contain('hello: every instance is deployed_started');
    const logs = await world.cli(['logs', 'hello', '/hello-vm/hello']);
    expect(logs.stdout).to.contain('hello: start on').and.contain('as root');
  });

  it('should install as an unprivileged user logging in with a password, into a prefix it owns', async () => {
    const userRoot = join(dir, 'user-root');

    const run = await install({
      prefix: userRoot,
      hostKey: sshd.hostKey.fingerprint,
      agent: userAgentName,
      login: [`${userName}@${host.address}:${SSH_PORT}`, '--password-stdin'],
      input: `${userPassword}\n`,
    });

    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    const pid = await agentPid(userRoot);
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const uid = (await runChecked('id', ['-u', userName])).trim();
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).to.equal(uid);
    const listed = (await agents()).find((agent) => agent.name === userAgentName);
    expect(listed?.state).to.equal('trusted');
  });

  it('should refuse a wrong host key, showing both fingerprints, and install nothing', async () => {
    const other = await makeKeyPair(dir, 'other_host_key');
    const untouched = join(dir, 'untouched');

    const run = await install({ prefix: untouched, hostKey: other.fingerprint, agent: 'spoofed' });

    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain(other.fingerprint).and.contain(sshd.hostKey.fingerprint);
    expect(await stat(untouched).catch(() => undefined)).to.equal(undefined);
    expect((await agents()).map((agent) => agent.name)).to.not.include('spoofed');
  });
});

/** SIGTERM, then SIGKILL; resolves once the process is gone (it is not this test's child). */
async function stopProcess(pid: number): Promise<void> {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  while (await isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
    }
    await delay(100);
  }
}
