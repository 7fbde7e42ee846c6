import type { AuditEntryInput } from '../audit/audit-entry';
import type { StepCommand } from './commands.repository';
import type { DeploymentEvent } from './deployment-events';
import { SENT_BATCH_SIZE } from './deployments.constants';

/** A command published to an agent, waiting to be recorded as sent. */
export interface SentCommand {
  readonly command: StepCommand;
  /** The agent it was published to (a proxy for an agentless root). */
  readonly agentName: string;
  readonly applicationName: string;
}

/** Where a batch goes: `sent` rows and their audit entries in one transaction, then the events. */
export interface SentCommandsSink {
  readonly write: (
    sent: readonly SentCommand[],
    audit: readonly AuditEntryInput[],
  ) => Promise<void>;
  readonly publish: (event: DeploymentEvent) => void;
}

/**
 * The `sent` records of one dispatch pass, written in batches of `SENT_BATCH_SIZE` (and the rest
 * when the pass ends): one transaction of two statements per batch instead of one transaction of
 * two statements per command, which capped a pass at about 25 commands a second (decision 0175).
 * A command published but not yet recorded stays `queued`: a crash before the write only means
 * it is sent again, and the agent dedupes by job id; a result that arrives first is applied
 * (a queued command accepts results) and the later write leaves a finished command alone.
 */
export class SentCommandsRecorder {
  private pending: SentCommand[] = [];
  /** Batches are written one after the other, in the order they filled. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: SentCommandsSink,
    private readonly actor: string,
  ) {}

  /** Adds a command published now; when that fills a batch, resolves once the batch is written. */
  async add(sent: SentCommand): Promise<void> {
    this.pending.push(sent);
    if (this.pending.length >= SENT_BATCH_SIZE) {
      await this.flush();
    }
  }

  /** Writes every command added and not yet written, then publishes their `command.sent` events. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const written = this.writing.then(() => this.write(batch));
    this.writing = written.catch(() => undefined);
    return written;
  }

  private async write(batch: readonly SentCommand[]): Promise<void> {
    if (batch.length === 0) {
      return;
    }
    await this.sink.write(
      batch,
      batch.map((sent) => this.auditOf(sent)),
    );
    for (const { command, applicationName } of batch) {
      this.sink.publish({
        type: 'command.sent',
        application: applicationName,
        path: command.instancePath,
        step: command.step,
        jobId: command.jobId,
        status: 'sent',
      });
    }
  }

  private auditOf({ command, agentName, applicationName }: SentCommand): AuditEntryInput {
    return {
      actor: this.actor,
      action: 'deployment.command.sent',
      target: `instance:${applicationName}${command.instancePath}`,
      details: {
        jobId: command.jobId,
        step: command.step,
        attempt: command.attempt,
        agent: agentName,
      },
    };
  }
}
