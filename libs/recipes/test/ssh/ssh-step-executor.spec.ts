import { expect } from 'chai';
import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  packRecipeBundle,
  PortLedger,
  RecipeBundleCache,
  resolveStepScript,
  SshConnectionPool,
  SshFirewall,
  SshStepExecutor,
  type RecipeStepName,
  type SshStepOutcome,
  type SshStepRequest,
  type SshTarget,
} from '@flotilla/recipes';
import { TestNetwork, type TestHost } from '../../../../test/support/netns';
import { canConnect } from '../firewall-probe';
import { writeScript } from '../recipe-fixtures';
import { isProcessAlive, targetOf } from './ssh-test-target';
import { makeKeyPair, SshdServer } from './sshd-server';

const SSH_PORT = 2222;
const ECHO_PORT = 18080;
const STEP_TIMEOUT_MS = 30_000;
const OWNER = '/vm/echo';
const FIXTURE_TEMPLATE = join(__dirname, 'fixture');

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe(`${SshStepExecutor.name} (real sshd in a network namespace)`, () => {
  let network: TestNetwork;
  let targetHost: TestHost;
  let clientHost: TestHost;
  let sshd: SshdServer;
  let dir: string;
  let bundleDir: string;
  let pool: SshConnectionPool;
  let firewall: SshFirewall;
  let sut: SshStepExecutor;

  before(async () => {
    network = await TestNetwork.create();
    targetHost = await network.addHost('target');
    clientHost = await network.addHost('client');
    sshd = await SshdServer.start(targetHost, SSH_PORT);
    dir = await mkdtemp(join(tmpdir(), 'flotilla-ssh-spec-'));
    const packed = await packRecipeBundle(FIXTURE_TEMPLATE, 'Echo');
    const cache = new RecipeBundleCache(join(dir, 'bundles'));
    const key = { templateName: 'ssh-fixture', templateVersion: '1', component: 'Echo' };
    bundleDir = await cache.install(key, packed.bytes, packed.digest);
  });

  after(async () => {
    await sshd?.stop();
    await network?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    pool = new SshConnectionPool();
    const target = targetOf(sshd);
    firewall = new SshFirewall({
      pool,
      target,
      ledger: new PortLedger(join(dir, `ledger-${Date.now()}.json`)),
      managed: true,
      alwaysOpen: [{ port: SSH_PORT, protocol: 'tcp' }],
    });
    sut = new SshStepExecutor({ pool, target, firewall });
  });

  afterEach(async () => {
    const pid = await readFile(join(dir, 'state', 'server.pid'), 'utf8').catch(() => undefined);
    if (pid !== undefined) {
      process.kill(Number(pid), 'SIGKILL');
    }
    await rm(join(dir, 'state'), { recursive: true, force: true });
    await pool.close();
  });

  function stepRequest(
    step: RecipeStepName,
    stepBundleDir: string,
    timeoutMs: number,
    exports: Record<string, string> = {},
  ): Omit<SshStepRequest, 'scriptPath'> {
    return {
      step,
      bundleDir: stepBundleDir,
      environment: {
        instanceName: 'echo',
        instancePath: OWNER,
        component: 'Echo',
        application: 'ssh-app',
        exports: { port: String(ECHO_PORT), stateDir: join(dir, 'state'), ...exports },
        imports: {},
        ancestors: [],
        agentName: 'proxy-1',
      },
      timeoutMs,
      outputCapBytes: 64 * 1024,
    };
  }

  async function run(
    step: RecipeStepName,
    exports: Record<string, string> = {},
    executor: SshStepExecutor = sut,
    stepBundleDir: string = bundleDir,
    timeoutMs: number = STEP_TIMEOUT_MS,
  ): Promise<SshStepOutcome> {
    const scriptPath = await resolveStepScript(stepBundleDir, step);
    return executor.execute({
      ...stepRequest(step, stepBundleDir, timeoutMs, exports),
      scriptPath,
    });
  }

  /** Runs a one-script bundle (its start step) with the fixture's state directory. */
  async function runScript(body: string, timeoutMs: number): Promise<SshStepOutcome> {
    const scriptBundle = await mkdtemp(join(dir, 'bundle-'));
    await mkdir(join(scriptBundle, 'scripts'));
    await mkdir(join(dir, 'state'), { recursive: true });
    await writeScript(join(scriptBundle, 'scripts'), 'start.sh', body);
    return run('start', {}, sut, scriptBundle, timeoutMs);
  }

  function expectSucceeded(outcome: SshStepOutcome): void {
    expect(outcome.setupFailure, outcome.setupLog.join('\n')).to.equal(undefined);
    expect(outcome.status, outcome.logTail).to.equal('succeeded');
  }

  describe('execute', () => {
    it('should deploy and start a component whose port answers from a third host, closed at undeploy', async () => {
      expectSucceeded(await run('deploy'));
      const started = await run('start');
      expectSucceeded(started);
      expect(started.logTail).to.contain(`started on ${ECHO_PORT}`);
      expect(await canConnect(clientHost, targetHost, ECHO_PORT)).to.equal(true);
      expect(await firewall.list()).to.deep.equal([
        { owner: OWNER, rules: [{ port: ECHO_PORT, protocol: 'tcp' }] },
      ]);

      // Undeploy as the proxy does it: whatever the scripts did, the instance's ports close.
      expect(await firewall.closeAllFor(OWNER)).to.have.length(1);
      expect(await canConnect(clientHost, targetHost, ECHO_PORT)).to.equal(false);
      expectSucceeded(await run('stop'));
      expectSucceeded(await run('undeploy'));
      expect(await firewall.list()).to.deep.equal([]);
    });

    it('should pass the agent variables byte for byte in a private directory removed afterwards', async () => {
      const motto = `it's "$(touch /tmp/pwned)" \`id\` $HOME; \\ done\nline two`;
      const outcome = await run('deploy', { motto });
      expectSucceeded(outcome);
      const env = await readFile(join(dir, 'state', 'deploy.env'), 'utf8');
      expect(env).to.contain(`motto=${motto}\n`);
      expect(env).to.contain('ROBOCONF_INSTANCE_PATH=/vm/echo\n');
      expect(env).to.contain('FLOTILLA_AGENT_NAME=proxy-1\n');
      expect(env).to.match(/^ROBOCONF_FILES_DIR=\/tmp\/flotilla-step\.[\w-]+\/bundle\/files$/m);
      expect(env).to.match(/^FLOTILLA_FW_SOCKET=\/tmp\/flotilla-step\.[\w-]+\/fw\.requests$/m);
      expect(await readFile(join(dir, 'state', 'workdir-mode'), 'utf8')).to.equal('700\n');
      const workdir = /created (\S+)/.exec(outcome.setupLog.join('\n'))?.[1];
      expect(workdir).to.be.a('string');
      expect(await exists(workdir!)).to.equal(false);
      expect(await exists('/tmp/pwned')).to.equal(false);
    });

    it('should share one SSH connection between concurrent and successive steps', async () => {
      const concurrent = await Promise.all([run('deploy'), run('deploy')]);
      concurrent.forEach(expectSucceeded);
      expectSucceeded(await run('undeploy'));
      expectSucceeded(await run('deploy'));
      const sessions = await targetHost.exec('ss', [
        '-Htn',
        'state',
        'established',
        `( sport = :${SSH_PORT} )`,
      ]);
      expect(sessions.stdout.trim().split('\n')).to.have.length(1);
      expect(pool.size).to.equal(1);
    });

    it('should kill the remote process group when the step times out, and remove the directory', async () => {
      const outcome = await runScript(
        'sleep 300 &\necho $! > "$stateDir/sleep.pid"\necho waiting\nwait',
        1_500,
      );
      expect(outcome.status).to.equal('timed-out');
      expect(outcome.result?.signal).to.equal('SIGTERM');
      expect(outcome.logTail).to.contain('waiting');
      const sleeper = Number(await readFile(join(dir, 'state', 'sleep.pid'), 'utf8'));
      expect(await isProcessAlive(sleeper)).to.equal(false);
      const workdir = /created (\S+)/.exec(outcome.setupLog.join('\n'))?.[1];
      expect(outcome.setupLog.join('\n')).to.contain(`removed ${String(workdir)}`);
      expect(await exists(workdir!)).to.equal(false);
    });

    it('should report a failing recipe as a recipe failure, with no set-up failure', async () => {
      const outcome = await runScript('echo "no database here" >&2\nexit 3', STEP_TIMEOUT_MS);
      expect(outcome.status).to.equal('failed');
      expect(outcome.setupFailure).to.equal(undefined);
      expect(outcome.result?.exitCode).to.equal(3);
      expect(outcome.logTail).to.equal('no database here\n');
      expect(outcome.setupLog.join('\n')).to.contain('connected');
    });

    it('should refuse a bad flotilla-fw request with the helper usage, as the agent does', async () => {
      const outcome = await runScript('flotilla-fw open 99999/tcp', STEP_TIMEOUT_MS);
      expect(outcome.status).to.equal('failed');
      expect(outcome.result?.exitCode).to.equal(2);
      expect(outcome.logTail).to.contain('flotilla-fw: invalid port "99999/tcp"');
      expect(await firewall.list()).to.deep.equal([]);
    });

    it('should report a connection lost mid-step as a set-up failure, then reconnect', async () => {
      let sawOutput!: () => void;
      const outputSeen = new Promise<void>((resolve) => (sawOutput = resolve));
      const scriptBundle = await mkdtemp(join(dir, 'bundle-'));
      await mkdir(join(scriptBundle, 'scripts'));
      await writeScript(join(scriptBundle, 'scripts'), 'start.sh', 'echo waiting\nexec sleep 20');
      const running = resolveStepScript(scriptBundle, 'start').then((scriptPath) =>
        sut.execute({
          ...stepRequest('start', scriptBundle, STEP_TIMEOUT_MS),
          scriptPath,
          onOutput: () => sawOutput(),
        }),
      );
      await outputSeen;
      await sshd.dropConnections();
      const lost = await running;
      expect(lost.status).to.equal('failed');
      expect(lost.setupFailure?.phase).to.equal('connect');
      expect(lost.setupFailure?.code).to.equal('SSH_CONNECTION_LOST');
      expectSucceeded(await run('deploy'));
      // Nothing could clean up on the target: the left-over step is this test's to remove.
      const workdir = /created (\S+)/.exec(lost.setupLog.join('\n'))?.[1];
      const pgid = Number(await readFile(join(workdir!, 'step.pgid'), 'utf8'));
      process.kill(-pgid, 'SIGKILL');
      await rm(workdir!, { recursive: true, force: true });
    });

    it('should not even connect for a step aborted before it started', async () => {
      const controller = new AbortController();
      controller.abort();
      const scriptPath = await resolveStepScript(bundleDir, 'deploy');
      const outcome = await sut.execute({
        ...stepRequest('deploy', bundleDir, STEP_TIMEOUT_MS),
        scriptPath,
        signal: controller.signal,
      });
      expect(outcome.status).to.equal('aborted');
      expect(pool.size).to.equal(0);
    });

    it('should refuse a changed host key, showing the expected and the presented fingerprints', async () => {
      const other = await makeKeyPair(dir, `other-${Date.now()}`);
      const target: SshTarget = targetOf(sshd, { hostKeyFingerprint: other.fingerprint });
      const executor = new SshStepExecutor({ pool, target });
      const outcome = await run('deploy', {}, executor);
      expect(outcome.status).to.equal('failed');
      expect(outcome.result).to.equal(undefined);
      expect(outcome.setupFailure?.phase).to.equal('connect');
      expect(outcome.setupFailure?.code).to.equal('SSH_HOST_KEY_MISMATCH');
      expect(outcome.setupFailure?.message).to.contain(`expected ${other.fingerprint}`);
      expect(outcome.setupFailure?.message).to.contain(`presented ${sshd.hostKey.fingerprint}`);
    });

    it('should report an unreachable target naming host and port, apart from recipe output', async () => {
      const unreachablePool = new SshConnectionPool({ readyTimeoutMs: 3_000 });
      const target = targetOf(sshd, { port: SSH_PORT + 1 });
      const outcome = await run(
        'deploy',
        {},
        new SshStepExecutor({ pool: unreachablePool, target }),
      );
      await unreachablePool.close();
      expect(outcome.status).to.equal('failed');
      expect(outcome.logTail).to.equal('');
      expect(outcome.setupFailure?.code).to.equal('SSH_UNREACHABLE');
      expect(outcome.setupFailure?.message).to.contain(
        `root@${targetHost.address}:${SSH_PORT + 1}`,
      );
    });
  });
});
