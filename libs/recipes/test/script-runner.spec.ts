import { expect } from 'chai';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildStepEnvironment,
  listProcessGroup,
  RecipeStepExecutor,
  ScriptRunner,
  type StepResult,
} from '@flotilla/recipes';
import { environmentFor, writeScript } from './recipe-fixtures';

/** True when `pid` is a running process (not gone, not a zombie waiting to be reaped). */
async function isLiveProcess(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return stat !== '' && state !== 'Z' && state !== 'X';
}

/** Resolves true once `path` exists, false after `timeoutMs` (a deadline, not a sleep for a message). */
async function waitForFile(path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    ) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe(ScriptRunner.name, () => {
  let dir: string;
  const sut = new ScriptRunner({ killGraceMs: 1_000 });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-runner-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function run(
    scriptPath: string,
    timeoutMs = 30_000,
    outputCapBytes = 64 * 1024,
  ): Promise<StepResult> {
    const env = buildStepEnvironment({ ...environmentFor('web', join(dir, 'files')) });
    return sut.run({ scriptPath, cwd: dir, env, timeoutMs, outputCapBytes });
  }

  describe('run', () => {
    it('should stop the whole process group when a step outlives its timeout', async () => {
      const script = await writeScript(
        dir,
        'hang.sh',
        `sleep 600 &\necho $! > "${join(dir, 'child.pid')}"\necho started\nwhile true; do sleep 1; done`,
      );
      const result = await run(script, 1_000);
      const childPid = Number(await readFile(join(dir, 'child.pid'), 'utf8'));
      expect(result.timedOut).to.equal(true);
      expect(result.exitCode).to.equal(null);
      expect(result.output.text).to.contain('started');
      expect(await isLiveProcess(childPid)).to.equal(false, 'the background sleep still runs');
    });

    it('should leave no live process in the step group after a timeout', async () => {
      const script = await writeScript(
        dir,
        'hang.sh',
        `echo $$ > "${join(dir, 'pgid')}"\nsleep 600 & sleep 600 & wait`,
      );
      await run(script, 1_000);
      const pgid = Number(await readFile(join(dir, 'pgid'), 'utf8'));
      expect(await listProcessGroup(pgid)).to.deep.equal([]);
    });

    it('should kill a group that ignores SIGTERM once the grace period is over', async () => {
      const script = await writeScript(
        dir,
        'stubborn.sh',
        `trap "" TERM\necho $$ > "${join(dir, 'pgid')}"\n(trap "" TERM; sleep 600) &\nwhile true; do sleep 1; done`,
      );
      const result = await run(script, 500);
      const pgid = Number(await readFile(join(dir, 'pgid'), 'utf8'));
      expect(result.timedOut).to.equal(true);
      expect(result.signal).to.equal('SIGKILL');
      expect(await listProcessGroup(pgid)).to.deep.equal([]);
    });

    it('should stop a step when the caller aborts it, and say so', async () => {
      const script = await writeScript(dir, 'long.sh', 'echo begun\nsleep 600');
      const controller = new AbortController();
      const outcome = new RecipeStepExecutor({ runner: sut }).execute({
        step: 'start',
        scriptPath: script,
        cwd: dir,
        environment: environmentFor('web', join(dir, 'files')),
        timeoutMs: 60_000,
        outputCapBytes: 4096,
        onOutput: () => controller.abort(),
        signal: controller.signal,
      });
      const ended = await outcome;
      expect(ended.status).to.equal('aborted');
      expect(ended.result?.timedOut).to.equal(false);
    });

    it('should keep the output, the step and how it ended in the log file when asked', async () => {
      const script = await writeScript(dir, 'fail.sh', 'echo "configuring"\nexit 4');
      const logPath = join(dir, 'logs', 'web.log');
      await new RecipeStepExecutor({ runner: sut }).execute({
        step: 'deploy',
        scriptPath: script,
        cwd: dir,
        environment: environmentFor('web', join(dir, 'files')),
        timeoutMs: 30_000,
        outputCapBytes: 4096,
        logPath,
      });
      const log = await readFile(logPath, 'utf8');
      expect(log).to.contain(`deploy /vm/web: ${script}`);
      expect(log).to.contain('configuring');
      expect(log).to.contain('failed (exit code 4, signal null)');
    });

    it('should report the exit code and the end of the output when a step fails', async () => {
      const script = await writeScript(
        dir,
        'fail.sh',
        'echo "installing"\necho "disk full" >&2\nexit 3',
      );
      const executor = new RecipeStepExecutor({ runner: sut });
      const outcome = await executor.execute({
        step: 'deploy',
        scriptPath: script,
        cwd: dir,
        environment: environmentFor('web', join(dir, 'files')),
        timeoutMs: 30_000,
        outputCapBytes: 64 * 1024,
      });
      expect(outcome.status).to.equal('failed');
      expect(outcome.result?.exitCode).to.equal(3);
      expect(outcome.logTail).to.contain('installing').and.contain('disk full');
    });

    it('should let a daemon started by the script keep writing to its output after the step', async () => {
      const marker = join(dir, 'still-alive');
      const script = await writeScript(
        dir,
        'start.sh',
        `sh -c 'echo $$ > "${join(dir, 'daemon.pid')}"; while true; do echo tick; [ -f "${join(dir, 'go')}" ] && echo alive > "${marker}"; sleep 0.1; done' &\necho started`,
      );
      const result = await run(script);
      expect(result.exitCode).to.equal(0);
      const daemon = Number(await readFile(join(dir, 'daemon.pid'), 'utf8'));
      try {
        await writeFile(join(dir, 'go'), '');
        expect(await waitForFile(marker, 10_000)).to.equal(
          true,
          'the daemon died writing to its output',
        );
        expect(await isLiveProcess(daemon)).to.equal(true);
      } finally {
        process.kill(daemon, 'SIGKILL');
      }
    });

    it('should report a script that cannot start as a failed step naming the script', async () => {
      const script = await writeScript(dir, 'not-executable.sh', 'echo never');
      await chmod(script, 0o644);
      const outcome = await new RecipeStepExecutor({ runner: sut }).execute({
        step: 'deploy',
        scriptPath: script,
        cwd: dir,
        environment: environmentFor('web', join(dir, 'files')),
        timeoutMs: 30_000,
        outputCapBytes: 4096,
      });
      expect(outcome.status).to.equal('failed');
      expect(outcome.result).to.equal(undefined);
      expect(outcome.logTail).to.contain(script).and.contain('EACCES');
    });

    it('should keep only the most recent output and flag it truncated beyond the cap', async () => {
      const script = await writeScript(
        dir,
        'loud.sh',
        'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done',
      );
      const result = await run(script, 30_000, 1024);
      expect(result.exitCode).to.equal(0);
      expect(result.output.truncated).to.equal(true);
      expect(Buffer.byteLength(result.output.text)).to.be.at.most(1024);
      expect(result.output.text).to.contain('line 1999');
    });

    it('should give the script only the allowlisted and Roboconf variables', async () => {
      const script = await writeScript(dir, 'env.sh', 'env');
      process.env.FLOTILLA_TEST_SECRET = 'leak';
      try {
        const result = await run(script);
        expect(result.output.text).to.contain('ROBOCONF_INSTANCE_PATH=/vm/web');
        expect(result.output.text).not.to.contain('FLOTILLA_TEST_SECRET');
      } finally {
        delete process.env.FLOTILLA_TEST_SECRET;
      }
    });

    it('should deliver the changed import to update.sh and stream its output', async () => {
      const script = await writeScript(
        dir,
        'update.sh',
        'echo "$ROBOCONF_UPDATE_STATUS $ROBOCONF_IMPORT_CHANGED_COMPONENT $ROBOCONF_IMPORT_CHANGED_ip $Db_0_name"',
      );
      const streamed: string[] = [];
      const outcome = await new RecipeStepExecutor({ runner: sut }).execute({
        step: 'update',
        scriptPath: script,
        cwd: dir,
        environment: {
          ...environmentFor('web', join(dir, 'files')),
          imports: { Db: [{ instancePath: '/vm-db/db', variables: { 'Db.ip': '10.0.0.7' } }] },
          importChange: {
            status: 'DEPLOYED_STARTED',
            instancePath: '/vm-db/db',
            component: 'MySql',
            variables: { 'Db.ip': '10.0.0.7' },
          },
        },
        timeoutMs: 30_000,
        outputCapBytes: 4096,
        onOutput: (chunk) => streamed.push(chunk),
      });
      expect(outcome.status).to.equal('succeeded');
      expect(streamed.join('')).to.equal('DEPLOYED_STARTED MySql 10.0.0.7 /vm-db/db\n');
    });

    it('should skip a step without a script and call it a success', async () => {
      const outcome = await new RecipeStepExecutor({ runner: sut }).execute({
        step: 'stop',
        scriptPath: undefined,
        cwd: dir,
        environment: environmentFor('web', join(dir, 'files')),
        timeoutMs: 1_000,
        outputCapBytes: 1024,
      });
      expect(outcome.status).to.equal('skipped');
    });

    it('should run no more steps at once than its concurrency limit', async () => {
      const limited = new ScriptRunner({ maxConcurrentSteps: 1 });
      const script = await writeScript(
        dir,
        'count.sh',
        `mkdir "${join(dir, 'lock')}" || exit 9\nsleep 0.2\nrmdir "${join(dir, 'lock')}"`,
      );
      const env = buildStepEnvironment({ ...environmentFor('web', dir) });
      const runs = [1, 2, 3].map(() =>
        limited.run({ scriptPath: script, cwd: dir, env, timeoutMs: 30_000, outputCapBytes: 1024 }),
      );
      expect((await Promise.all(runs)).map((result) => result.exitCode)).to.deep.equal([0, 0, 0]);
    });
  });
});
