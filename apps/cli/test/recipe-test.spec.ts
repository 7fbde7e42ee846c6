import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MODEL_FIXTURES } from './support/cli-world';
import { runFlotilla, type CliRun } from './support/run-flotilla';

const THREE_TIER = join(MODEL_FIXTURES, 'three-tier');

function flotilla(args: readonly string[]): Promise<CliRun> {
  return runFlotilla(args, { home: process.env.HOME ?? '/root' });
}

async function namespaces(): Promise<string> {
  return (await promisify(execFile)('ip', ['netns', 'list'])).stdout;
}

function namespaceOf(transcript: string): string {
  return /network namespace (flt-recipe-[0-9a-f]+)/.exec(transcript)?.[1] ?? 'no namespace';
}

describe('flotilla recipe test (root: a throwaway network namespace)', function () {
  this.timeout(120_000);

  it('should run Database through its lifecycle, showing its variables and exit codes, with no port left open', async () => {
    const run = await flotilla(['recipe', 'test', THREE_TIER, 'Database']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain(
      'Recipe test of Database as /db-vm/db (template three-tier) on the throwaway network namespace flt-recipe-',
    );
    for (const variable of [
      'ROBOCONF_INSTANCE_PATH=/db-vm/db',
      'ROBOCONF_COMPONENT_NAME=Database',
      'port=15432',
      'name=inventory',
      'ip=127.0.0.1',
    ]) {
      expect(run.stdout).to.contain(`\n  ${variable}\n`);
    }
    for (const step of ['deploy', 'start', 'stop', 'undeploy']) {
      expect(run.stdout).to.contain(`\n${step} succeeded: exit code 0\n`);
    }
    expect(run.stdout).to.match(/Ports still open: none\n$/);
    expect(await namespaces()).to.not.contain(namespaceOf(run.stdout));
  });

  it('should report the port a lone start leaves open, kill the server and remove the namespace', async () => {
    const run = await flotilla([
      'recipe',
      'test',
      THREE_TIER,
      'Database',
      '--step',
      'start',
      '--json',
    ]);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as {
      steps: { step: string; status: string; exitCode: number }[];
      portsStillOpen: { listening: string[]; firewall: string[] };
    };
    expect(
      report.steps.map(({ step, status, exitCode }) => ({ step, status, exitCode })),
    ).to.deep.equal([{ step: 'start', status: 'succeeded', exitCode: 0 }]);
    expect(report.portsStillOpen.listening).to.deep.equal(['tcp *:15432']);
    expect(report.portsStillOpen.firewall).to.deep.equal(['15432/tcp (/db-vm/db)']);
    expect(run.stderr).to.match(/Killed what the recipe left running in the namespace: pids \d+/);
    expect(await namespaces()).to.not.contain(namespaceOf(run.stderr));
  });

  it('should give an --import value to the importing component instead of the template default', async () => {
    const run = await flotilla([
      'recipe',
      'test',
      THREE_TIER,
      'AppServer',
      '--step',
      'deploy',
      '--import',
      'Database.ip=10.0.0.5',
    ]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('\n  Database_0_ip=10.0.0.5\n');
    expect(run.stdout).to.contain('\n  Database_0_port=15432\n');
    expect(run.stdout).to.contain('\n  Database_size=1\n');
  });

  it('should stop at a failing step and exit 1 with its exit code', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'flotilla-recipe-broken-'));
    try {
      await cp(THREE_TIER, copy, { recursive: true });
      const deploy = join(copy, 'graph', 'Database', 'scripts', 'deploy.sh');
      await writeFile(
        deploy,
        '#!/bin/sh\necho "no disk for $ROBOCONF_INSTANCE_NAME" >&2\nexit 3\n',
      );
      await chmod(deploy, 0o755);
      const run = await flotilla(['recipe', 'test', copy, 'Database']);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.contain('output:\n  | no disk for db\ndeploy failed: exit code 3\n');
      expect(run.stdout).to.not.contain('== start');
      expect(run.stderr).to.equal('flotilla: deploy failed (exit code 3)\n');
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('should name the components of the template when the component is unknown', async () => {
    const run = await flotilla(['recipe', 'test', THREE_TIER, 'Cache']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal(
      'flotilla: Template three-tier has no component Cache (it has AppServer, Database, FrontEnd, VM)\n',
    );
  });

  it('should refuse a malformed --import', async () => {
    const run = await flotilla(['recipe', 'test', THREE_TIER, 'AppServer', '--import', 'Database']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('--import Database: expected Prefix.variable=value');
  });
});
