import { expect } from 'chai';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REASON_CODE_HEADER, generateIdentity } from '@flotilla/messaging';
import { RawAmqp } from '../../../libs/messaging/testing';
import type { TestHost } from '../../../test/support/netns';
import { AgentTestWorld } from './support/agent-test-world';

const AGENT = 'guarded-host';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('Agent refusing untrusted and replayed commands (agent in a network namespace)', function () {
  this.timeout(120_000);
  let world: AgentTestWorld;
  let host: TestHost;
  let raw: RawAmqp;

  before(async () => {
    world = await AgentTestWorld.create();
    host = await world.addHost('guarded');
    await world.startAcceptedAgent(host, AGENT);
    await world.shipBundle(AGENT, 'Marker');
    raw = await RawAmqp.open();
  });

  after(async () => {
    await raw?.close();
    await world?.destroy();
  });

  /** The reason code of the next message the agent dead-lettered. */
  async function nextDeadLetterReason(): Promise<unknown> {
    const [dead] = await raw.take(`${world.dm.agentQueue(AGENT)}.dead`, 1, 30_000);
    return dead?.properties.headers?.[REASON_CODE_HEADER];
  }

  function markerCommand(marker: string) {
    return world.stepCommand({
      component: 'Marker',
      instancePath: '/vm/guarded',
      step: 'deploy',
      exports: { 'Marker.marker': marker },
    });
  }

  it('should run nothing when a command is signed by a key it does not trust', async () => {
    const marker = join(world.directory, 'marker-intruder');
    const intruder = await generateIdentity({ name: 'dm' });
    const command = markerCommand(marker);

    await world.dm.send(AGENT, 'dm.step.run.v1', command, {
      signer: intruder,
      jobId: command.jobId,
    });

    expect(await nextDeadLetterReason()).to.equal('SENDER_UNKNOWN');
    expect(await exists(marker)).to.equal(false);
    expect(
      world.dm.inbox.all<{ jobId: string }>(
        'agent.step.result.v1',
        (r) => r.jobId === command.jobId,
      ),
    ).to.deep.equal([]);
  });

  it('should run nothing when a command it already handled is replayed', async () => {
    const marker = join(world.directory, 'marker-replay');
    const command = markerCommand(marker);
    const sealed = await world.dm.send(AGENT, 'dm.step.run.v1', command, { jobId: command.jobId });
    await world.dm.inbox.waitFor<{ jobId: string }>(
      'agent.step.result.v1',
      (r) => r.jobId === command.jobId,
    );
    expect(await exists(marker), 'the genuine command ran').to.equal(true);
    await rm(marker);

    await world.dm.replay(AGENT, sealed);

    expect(await nextDeadLetterReason()).to.equal('REPLAYED');
    expect(await exists(marker)).to.equal(false);
  });

  it('should answer a new command of a job it already ran with the recorded result, without running it', async () => {
    const marker = join(world.directory, 'marker-duplicate');
    const command = markerCommand(marker);
    const first = await world.runStep(AGENT, command);
    await rm(marker);

    await world.dm.send(AGENT, 'dm.step.run.v1', command, { jobId: command.jobId });
    await world.dm.inbox.waitFor<{ jobId: string }>(
      'agent.step.result.v1',
      () =>
        world.dm.inbox.all<{ jobId: string }>(
          'agent.step.result.v1',
          (r) => r.jobId === command.jobId,
        ).length === 2,
    );

    const results = world.dm.inbox.all<{ jobId: string }>(
      'agent.step.result.v1',
      (r) => r.jobId === command.jobId,
    );
    expect(results[1]).to.deep.equal(first);
    expect(await exists(marker)).to.equal(false);
  });
});
