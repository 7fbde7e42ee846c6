import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import type { TestHost } from '../../../test/support/netns';
import { runCommand } from '../../../test/support/netns';
import type { AgentProcess } from './support/agent-process';
import { AgentTestWorld } from './support/agent-test-world';
import { stepLogPath } from '../src/runner/step-job-runner';

const AGENT = 'failing-host';

/** The command lines of every process in a host but the agent itself. */
async function strayProcesses(host: TestHost, agentPid: number | undefined): Promise<string[]> {
  const pids = (await runCommand('ip', ['netns', 'pids', host.namespace])).stdout
    .split('\n')
    .map((pid) => pid.trim())
    .filter((pid) => pid !== '' && Number(pid) !== agentPid);
  const lines = await Promise.all(
    pids.map((pid) =>
      readFile(`/proc/${pid}/cmdline`, 'utf8').then(
        (text) => text.replaceAll('\0', ' ').trim(),
        () => '',
      ),
    ),
  );
  return lines.filter((line) => line !== '');
}

describe('Agent failing and hanging steps (agent in a network namespace)', function () {
  this.timeout(120_000);
  let world: AgentTestWorld;
  let host: TestHost;
  let agentPid: number | undefined;
  let agent: AgentProcess;

  before(async () => {
    world = await AgentTestWorld.create();
    host = await world.addHost('failing');
    agent = await world.startAcceptedAgent(host, AGENT);
    agentPid = agent.pid;
    await world.shipBundle(AGENT, 'Failing');
    await world.shipBundle(AGENT, 'Hanging');
  });

  after(async () => {
    await world?.destroy();
  });

  it('should report a failed step with its exit code and log tail and keep the previous stable state', async () => {
    const deploy = world.stepCommand({
      component: 'Failing',
      instancePath: '/vm/broken',
      step: 'deploy',
    });
    expect((await world.runStep(AGENT, deploy)).status).to.equal('succeeded');

    const start = world.stepCommand({
      component: 'Failing',
      instancePath: '/vm/broken',
      step: 'start',
    });
    const result = await world.runStep(AGENT, start);

    expect(result).to.deep.include({ status: 'failed', exitCode: 3, signal: null });
    expect(result.logTail).to.contain('cannot bind: configuration missing');
    expect((await world.instanceStates(AGENT))['/vm/broken']?.state).to.equal('deployed_stopped');
    const output = world.dm.inbox.all<{ jobId: string; chunk: string }>(
      'agent.step.output.v1',
      (chunk) => chunk.jobId === result.jobId,
    );
    expect(output.map((chunk) => chunk.chunk).join('')).to.contain(
      'starting the failing component',
    );
    const kept = await readFile(stepLogPath(world.dataDir(AGENT), start), 'utf8');
    expect(kept).to.contain('starting the failing component');
    expect(kept).to.contain('cannot bind: configuration missing');
  });

  it('should kill a hanging step and every process it started at its timeout', async () => {
    const command = world.stepCommand({
      component: 'Hanging',
      instancePath: '/vm/stuck',
      step: 'deploy',
      timeoutMs: 2_000,
    });

    const result = await world.runStep(AGENT, command);

    expect(result.status, result.logTail).to.equal('timed-out');
    expect(result.logTail).to.contain('hanging with a child');
    expect(await strayProcesses(host, agentPid)).to.deep.equal([]);
    expect((await world.instanceStates(AGENT))['/vm/stuck']?.state).to.equal('not_deployed');
  });

  it('should refuse an unsupported installer and a step whose bundle it does not hold', async () => {
    const puppet = await world.runStep(
      AGENT,
      world.stepCommand({
        component: 'Failing',
        instancePath: '/vm/puppet',
        step: 'deploy',
        installer: 'puppet',
      }),
    );
    const missing = await world.runStep(
      AGENT,
      world.stepCommand({
        component: 'Failing',
        instancePath: '/vm/nobundle',
        step: 'deploy',
        withBundle: false,
      }),
    );

    expect(puppet.status).to.equal('refused');
    expect(puppet.refusal?.code).to.equal('UNSUPPORTED_INSTALLER');
    expect(puppet.refusal?.message).to.contain('"puppet"');
    expect(missing.status).to.equal('refused');
    expect(missing.refusal?.code).to.equal('BUNDLE_MISSING');
  });

  it('should abort a running step, report it and leave no process behind when stopped with SIGTERM', async () => {
    const command = world.stepCommand({
      component: 'Hanging',
      instancePath: '/vm/interrupted',
      step: 'deploy',
      timeoutMs: 600_000,
    });
    await world.dm.send(AGENT, 'dm.step.run.v1', command, { jobId: command.jobId });
    await world.dm.inbox.waitFor<{ jobId: string; chunk: string }>(
      'agent.step.output.v1',
      (chunk) => chunk.jobId === command.jobId && chunk.chunk.includes('hanging'),
    );

    expect(await agent.stop(), agent.log).to.equal(0);

    const result = await world.dm.inbox.waitFor<{ jobId: string; status: string }>(
      'agent.step.result.v1',
      (payload) => payload.jobId === command.jobId,
    );
    expect(result.status).to.equal('aborted');
    await world.dm.inbox.waitFor('agent.shutdown.v1');
    expect(await strayProcesses(host, undefined)).to.deep.equal([]);
  });
});
