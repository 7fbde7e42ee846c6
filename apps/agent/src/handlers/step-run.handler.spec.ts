import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OpenedEnvelope } from '@flotilla/messaging';
import type { StepResultPayload, StepRunPayload } from '@flotilla/protocol';
import { JobJournal } from '../jobs/job-journal';
import type { DmOutbox } from '../lifecycle-events/dm-outbox';
import { AgentlessLane } from '../proxy/agentless-lane';
import type { Proxy } from '../proxy/create-proxy';
import type { StepJobRunner } from '../runner/step-job-runner';
import type { AgentLogger } from '../support/agent-logger';
import { stepRunHandler } from './step-run.handler';

const QUIET: AgentLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function agentlessCommand(): StepRunPayload {
  return {
    jobId: randomUUID(),
    attempt: 1,
    application: 'shop',
    instance: { name: 'db', path: '/vm/db', component: 'Db', installer: 'script' },
    step: 'deploy',
    exports: {},
    randomPorts: [],
    imports: {},
    ancestors: [],
    timeoutMs: 60_000,
    agentless: {
      host: '10.0.0.9',
      port: 22,
      user: 'root',
      hostKeyFingerprint: `SHA256:${'E'.repeat(43)}`,
      credential: { kind: 'proxy-key' },
      useSudo: false,
      firewall: { backend: 'none', isManaged: false },
    },
  };
}

function resultOf(command: StepRunPayload): StepResultPayload {
  return {
    jobId: command.jobId,
    attempt: command.attempt,
    instancePath: command.instance.path,
    step: command.step,
    status: 'succeeded',
    exitCode: 0,
    signal: null,
    logTail: '',
    exports: {},
    openPorts: [],
    startedAt: 1,
    endedAt: 2,
  };
}

describe('stepRunHandler', () => {
  let dir: string;
  let journal: JobJournal;
  let sent: Array<{ type: string; payload: StepResultPayload }>;
  let outbox: DmOutbox;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-step-handler-'));
    journal = new JobJournal(dir);
    sent = [];
    outbox = {
      send: (_kind: string, type: string, payload: StepResultPayload) => {
        sent.push({ type, payload });
        return Promise.resolve(randomUUID());
      },
    } as unknown as DmOutbox;
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  const envelopeOf = (command: StepRunPayload) =>
    ({ payload: command, messageId: randomUUID() }) as unknown as OpenedEnvelope;
  const localRunner = { run: () => Promise.reject(new Error('not a local step')) };

  it('should refuse an agentless step with NOT_A_PROXY when the agent has no proxy role', async () => {
    const sut = stepRunHandler({
      journal,
      runner: localRunner as unknown as StepJobRunner,
      outbox,
      logger: QUIET,
    });

    await sut(envelopeOf(agentlessCommand()));

    expect(sent.map((message) => message.payload.refusal?.code)).to.deep.equal(['NOT_A_PROXY']);
  });

  it('should leave the queue as soon as an agentless step started, and report it once it ends', async () => {
    let finish: () => void = () => undefined;
    const command = agentlessCommand();
    const proxy = {
      lane: new AgentlessLane(1),
      runner: {
        run: () =>
          new Promise<StepResultPayload>((resolve) => (finish = () => resolve(resultOf(command)))),
      },
    } as unknown as Proxy;
    const sut = stepRunHandler({
      journal,
      runner: localRunner as unknown as StepJobRunner,
      outbox,
      logger: QUIET,
      proxy,
    });

    await sut(envelopeOf(command));
    expect(sent).to.deep.equal([]);
    expect((await journal.get(command.jobId))?.result).to.equal(undefined);

    finish();
    await proxy.lane.drain();
    expect(sent.map((message) => message.payload.status)).to.deep.equal(['succeeded']);
    expect((await journal.get(command.jobId))?.result?.status).to.equal('succeeded');
  });
});
