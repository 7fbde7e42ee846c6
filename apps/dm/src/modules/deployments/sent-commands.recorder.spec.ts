import { expect } from 'chai';
import type { AuditEntryInput } from '../audit/audit-entry';
import type { StepCommand } from './commands.repository';
import type { DeploymentEvent } from './deployment-events';
import { SENT_BATCH_SIZE } from './deployments.constants';
import {
  SentCommandsRecorder,
  type SentCommand,
  type SentCommandsSink,
} from './sent-commands.recorder';

function sentCommand(index: number): SentCommand {
  const command: StepCommand = {
    id: `id-${index}`,
    jobId: `job-${index}`,
    applicationId: 'app-1',
    instanceId: `instance-${index}`,
    instancePath: `/vm${index}`,
    step: 'deploy',
    attempt: 1,
    status: 'queued',
    agentName: 'agent-a',
    details: {},
    sentAt: null,
    result: null,
  };
  return { command, agentName: 'agent-a', applicationName: 'shop' };
}

/** A sink that keeps what it was given, in order, and fails the writes it is told to. */
class RecordingSink implements SentCommandsSink {
  readonly log: string[] = [];
  readonly batches: Array<{ jobIds: string[]; audit: AuditEntryInput[] }> = [];
  failNextWrite = false;

  readonly write = (sent: readonly SentCommand[], audit: readonly AuditEntryInput[]) => {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      return Promise.reject(new Error('database unreachable'));
    }
    this.batches.push({ jobIds: sent.map((entry) => entry.command.jobId), audit: [...audit] });
    this.log.push(`write ${sent.length}`);
    return Promise.resolve();
  };

  readonly publish = (event: DeploymentEvent) => {
    this.log.push(`event ${event.type} ${'jobId' in event ? event.jobId : ''}`);
  };
}

describe(SentCommandsRecorder.name, () => {
  describe('add', () => {
    it('should write nothing when fewer commands than a batch were added', async () => {
      const sink = new RecordingSink();
      const sut = new SentCommandsRecorder(sink, 'system');

      await sut.add(sentCommand(1));

      expect(sink.batches).to.deep.equal([]);
    });

    it('should write a full batch in one write when it fills', async () => {
      const sink = new RecordingSink();
      const sut = new SentCommandsRecorder(sink, 'system');

      for (let index = 0; index < SENT_BATCH_SIZE; index += 1) {
        await sut.add(sentCommand(index));
      }

      expect(sink.batches).to.have.length(1);
      expect(sink.batches[0]?.jobIds).to.have.length(SENT_BATCH_SIZE);
    });
  });

  describe('flush', () => {
    it('should audit every command sent with its job, step, attempt and agent', async () => {
      const sink = new RecordingSink();
      const sut = new SentCommandsRecorder(sink, 'system');

      await sut.add(sentCommand(7));
      await sut.flush();

      expect(sink.batches[0]?.audit).to.deep.equal([
        {
          actor: 'system',
          action: 'deployment.command.sent',
          target: 'instance:shop/vm7',
          details: { jobId: 'job-7', step: 'deploy', attempt: 1, agent: 'agent-a' },
        },
      ]);
    });

    it('should publish the command.sent events in order after their batch is written', async () => {
      const sink = new RecordingSink();
      const sut = new SentCommandsRecorder(sink, 'system');

      await sut.add(sentCommand(1));
      await sut.add(sentCommand(2));
      await sut.flush();

      expect(sink.log).to.deep.equal([
        'write 2',
        'event command.sent job-1',
        'event command.sent job-2',
      ]);
    });

    it('should publish no event and reject when the write fails, and write the next batch', async () => {
      const sink = new RecordingSink();
      const sut = new SentCommandsRecorder(sink, 'system');
      sink.failNextWrite = true;

      await sut.add(sentCommand(1));
      const failed = await sut.flush().then(
        () => undefined,
        (error: unknown) => error,
      );
      await sut.add(sentCommand(2));
      await sut.flush();

      expect(failed).to.be.instanceOf(Error).with.property('message', 'database unreachable');
      expect(sink.log).to.deep.equal(['write 1', 'event command.sent job-2']);
    });

    it('should write each command once when flushed twice', async () => {
      const sink = new RecordingSink();
      const sut = new SentCommandsRecorder(sink, 'system');

      await sut.add(sentCommand(1));
      await Promise.all([sut.flush(), sut.flush()]);

      expect(sink.batches.map((batch) => batch.jobIds)).to.deep.equal([['job-1']]);
    });
  });
});
