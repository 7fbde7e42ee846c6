// npm run bench:agentless — twenty sequential no-op recipe steps on one target through Flotilla's
// SSH executor, against the same twenty commands through Ansible's ad-hoc command module, over
// the same sshd (in a network namespace) in the same run. Needs root (network namespaces).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshConnectionPool, SshStepExecutor } from '@flotilla/recipes';
import { TestNetwork } from '../../test/support/netns';
import { targetOf } from '../../libs/recipes/test/ssh/ssh-test-target';
import { SshdServer } from '../../libs/recipes/test/ssh/sshd-server';
import { AnsibleRunner, hasAnsible, installAnsible } from './ansible-runner';

const STEPS = 20;
const SSH_PORT = 2222;
const NO_OP_SCRIPT = '#!/bin/sh\nexit 0\n';
const GOAL_RATIO = 3;
const RESULTS_FILE = join(__dirname, '..', 'results', 'agentless.json');

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
}

async function timeFlotilla(sshd: SshdServer, bundleDir: string): Promise<number> {
  const scriptPath = join(bundleDir, 'scripts', 'start.sh');
  const started = process.hrtime.bigint();
  const pool = new SshConnectionPool();
  const executor = new SshStepExecutor({ pool, target: targetOf(sshd) });
  try {
    for (let i = 0; i < STEPS; i += 1) {
      const outcome = await executor.execute({
        step: 'start',
        scriptPath,
        bundleDir,
        environment: {
          instanceName: `noop${i}`,
          instancePath: `/bench/noop${i}`,
          component: 'NoOp',
          application: 'bench',
          exports: {},
          imports: {},
          ancestors: [],
          agentName: 'bench-proxy',
        },
        timeoutMs: 30_000,
        outputCapBytes: 4096,
      });
      if (outcome.status !== 'succeeded') {
        throw new Error(
          `Flotilla step ${i} ${outcome.status}: ${outcome.setupLog.join('; ')} ${outcome.logTail}`,
        );
      }
    }
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await pool.close();
  }
}

async function timeAnsible(sshd: SshdServer, dir: string): Promise<number | undefined> {
  if (!(await hasAnsible())) {
    if (process.getuid?.() !== 0) {
      console.log(
        "Ansible is missing: install Debian's ansible package (apt-get install ansible) or run the bench as root.",
      );
      return undefined;
    }
    console.log("Installing Debian's ansible package (apt-get install ansible)...");
    await installAnsible();
  }
  const ansible = await AnsibleRunner.prepare(sshd, join(dir, 'ansible'));
  const started = process.hrtime.bigint();
  try {
    for (let i = 0; i < STEPS; i += 1) {
      await ansible.command('/bin/sh -c "exit 0"');
    }
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await ansible.stop(sshd);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('bench:agentless needs root: it runs sshd inside a network namespace it creates.');
    process.exitCode = 1;
    return;
  }
  const network = await TestNetwork.create();
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-bench-agentless-'));
  let sshd: SshdServer | undefined;
  try {
    sshd = await SshdServer.start(await network.addHost('target'), SSH_PORT);
    const bundleDir = join(dir, 'bundle');
    await mkdir(join(bundleDir, 'scripts'), { recursive: true });
    await writeFile(join(bundleDir, 'scripts', 'start.sh'), NO_OP_SCRIPT, { mode: 0o755 });
    const before = loadAverage();
    const flotillaMs = await timeFlotilla(sshd, bundleDir);
    console.log(
      `Flotilla SSH executor: ${STEPS} no-op steps in ${flotillaMs.toFixed(0)} ms (${(flotillaMs / STEPS).toFixed(1)} ms/step, first connection included)`,
    );
    const ansibleMs = await timeAnsible(sshd, dir);
    const ratio = ansibleMs === undefined ? undefined : ansibleMs / flotillaMs;
    if (ansibleMs !== undefined && ratio !== undefined) {
      console.log(
        `Ansible ad-hoc command: ${STEPS} commands in ${ansibleMs.toFixed(0)} ms (${(ansibleMs / STEPS).toFixed(1)} ms/command)`,
      );
      console.log(
        `Ratio: Flotilla is ${ratio.toFixed(1)}x faster (goal: at least ${GOAL_RATIO}x): ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'}`,
      );
    }
    const results = {
      at: new Date().toISOString(),
      steps: STEPS,
      loadAverage: { before, after: loadAverage() },
      flotillaMs,
      ansibleMs,
      ratio,
    };
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await sshd?.stop();
    await network.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
