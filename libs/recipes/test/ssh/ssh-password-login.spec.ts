import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SshConnectionPool,
  SshStepExecutor,
  type SshStepOutcome,
  type SshTarget,
} from '@flotilla/recipes';
import { runCommand, TestNetwork } from '../../../../test/support/netns';
import { writeScript } from '../recipe-fixtures';
import { SshdServer } from './sshd-server';
import { createPasswordUser, throwawayUserName } from '../throwaway-users';

const SSH_PORT = 2222;

describe(`${SshStepExecutor.name} (password login as an unprivileged user)`, () => {
  const userName = throwawayUserName('s');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let network: TestNetwork;
  let sshd: SshdServer;
  let dir: string;
  let bundleDir: string;
  let pool: SshConnectionPool;

  before(async () => {
    await createPasswordUser('s', userName, password);
    network = await TestNetwork.create();
    sshd = await SshdServer.start(await network.addHost('target'), SSH_PORT, {
      isPasswordAllowed: true,
    });
    dir = await mkdtemp(join(tmpdir(), 'flotilla-ssh-password-'));
    bundleDir = join(dir, 'bundle');
    await mkdir(join(bundleDir, 'scripts'), { recursive: true });
    await writeScript(join(bundleDir, 'scripts'), 'deploy.sh', 'id -un\necho "home=$HOME"');
  });

  after(async () => {
    await sshd?.stop();
    await network?.destroy();
    await runCommand('userdel', [userName]);
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    pool = new SshConnectionPool();
  });

  afterEach(async () => {
    await pool.close();
  });

  function deployAs(credentialPassword: string): Promise<SshStepOutcome> {
    const target: SshTarget = {
      host: sshd.host.address,
      port: SSH_PORT,
      user: userName,
      hostKeyFingerprint: sshd.hostKey.fingerprint,
      credential: { kind: 'password', password: credentialPassword },
    };
    return new SshStepExecutor({ pool, target }).execute({
      step: 'deploy',
      scriptPath: join(bundleDir, 'scripts', 'deploy.sh'),
      bundleDir,
      environment: {
        instanceName: 'db',
        instancePath: '/vm/db',
        component: 'Db',
        application: 'ssh-app',
        exports: {},
        imports: {},
        ancestors: [],
        agentName: 'proxy-1',
      },
      timeoutMs: 30_000,
      outputCapBytes: 4096,
    });
  }

  describe('execute', () => {
    it('should run the step as the SSH user when the operator gave a password', async () => {
      const outcome = await deployAs(password);
      expect(outcome.setupFailure, outcome.setupLog.join('\n')).to.equal(undefined);
      expect(outcome.status).to.equal('succeeded');
      expect(outcome.logTail).to.contain(`${userName}\n`);
      expect(JSON.stringify(outcome)).not.to.contain(password);
    });

    it('should report a refused password as an authentication failure without the password', async () => {
      const wrong = `${password}-wrong`;
      const outcome = await deployAs(wrong);
      expect(outcome.status).to.equal('failed');
      expect(outcome.setupFailure?.code).to.equal('SSH_AUTH_FAILED');
      expect(outcome.setupFailure?.message).to.contain(
        `${userName}@${sshd.host.address}:${SSH_PORT}`,
      );
      expect(JSON.stringify(outcome)).not.to.contain(wrong);
    });
  });
});
