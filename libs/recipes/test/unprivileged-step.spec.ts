import { expect } from 'chai';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NoFirewall,
  PortLedger,
  RecipeStepExecutor,
  resolveStepUser,
  ScriptRunner,
  type StepUser,
} from '@flotilla/recipes';
import { runChecked, runCommand } from '../../../test/support/netns';
import { environmentFor, writeScript } from './recipe-fixtures';
import { removeUsersOfDeadRuns, throwawayUserName } from './throwaway-users';

describe('a recipe step run as an unprivileged user', () => {
  // The pid in the name lets a later run remove the user of a run that crashed (see below).
  const userName = throwawayUserName('t');
  let user: StepUser;
  let root: string;
  let instanceDir: string;
  let firewall: NoFirewall;

  before(async () => {
    await removeUsersOfDeadRuns('t');
    await runChecked('useradd', [
      '--system',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      userName,
    ]);
    user = await resolveStepUser(userName);
  });

  after(async () => {
    await runCommand('userdel', [userName]);
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'flotilla-user-'));
    await chmod(root, 0o755);
    instanceDir = join(root, 'instance');
    await mkdir(instanceDir);
    await chown(instanceDir, user.uid, user.gid);
    firewall = new NoFirewall({ ledger: new PortLedger(join(root, 'agent', 'ledger.json')) });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function execute(body: string): ReturnType<RecipeStepExecutor['execute']> {
    const sockets = join(root, 'run');
    await mkdir(sockets, { mode: 0o711 });
    const executor = new RecipeStepExecutor({
      runner: new ScriptRunner(),
      firewall,
      socketParentDir: sockets,
    });
    return executor.execute({
      step: 'deploy',
      scriptPath: await writeScript(root, 'deploy.sh', body),
      cwd: instanceDir,
      environment: environmentFor('app', join(instanceDir, 'files')),
      user,
      timeoutMs: 30_000,
      outputCapBytes: 64 * 1024,
    });
  }

  it('should run as that user and write in its working directory', async () => {
    const outcome = await execute('id -u\necho "$HOME"\necho ok > "$PWD/marker"');
    expect(outcome.status, outcome.logTail).to.equal('succeeded');
    expect(outcome.logTail.trim().split('\n')).to.deep.equal([String(user.uid), user.home]);
    expect((await stat(join(instanceDir, 'marker'))).uid).to.equal(user.uid);
  });

  it('should not let it write outside its directories', async () => {
    const outcome = await execute(`echo x > "${join(root, 'escaped')}"`);
    expect(outcome.status).to.equal('failed');
    expect(outcome.logTail).to.match(/Permission denied/);
    expect(await stat(join(root, 'escaped')).catch(() => 'absent')).to.equal('absent');
  });

  it('should let it open a port through the agent and record the instance as its owner', async () => {
    const outcome = await execute('flotilla-fw open 8443/tcp');
    expect(outcome.status, outcome.logTail).to.equal('succeeded');
    expect(await firewall.list()).to.deep.equal([
      { owner: '/vm/app', rules: [{ port: 8443, protocol: 'tcp' }] },
    ]);
  });
});
