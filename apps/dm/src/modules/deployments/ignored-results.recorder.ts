import { Injectable } from '@nestjs/common';
import type { StepResultPayload } from '@flotilla/protocol';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ApplicationStateRepository } from './application-state.repository';
import { CommandsRepository } from './commands.repository';

/**
 * Records a step result the lifecycle refused (it no longer fits its instance's state): its job
 * is marked `cancelled` with the result and the reason, and the audit log says so. No state changes.
 */
@Injectable()
export class IgnoredResultsRecorder {
  constructor(
    private readonly commands: CommandsRepository,
    private readonly states: ApplicationStateRepository,
    private readonly audit: AuditService,
  ) {}

  /** Does nothing when the job is not this agent's or already has a result. */
  async record(
    agentName: string,
    result: StepResultPayload,
    reason: string,
    manager: EntityManager,
  ): Promise<void> {
    const command = await this.commands.lockByJobId(result.jobId, manager);
    const isAwaited = command?.status === 'queued' || command?.status === 'sent';
    if (command === undefined || command.agentName !== agentName || !isAwaited) {
      return;
    }
    const { name } = await this.states.load(command.applicationId, manager);
    await this.commands.finish(command.id, 'cancelled', { ...result, ignored: reason }, manager);
    await this.audit.record(
      {
        actor: `agent:${agentName}`,
        action: 'deployment.step.result.ignored',
        target: `instance:${name}${command.instancePath}`,
        details: { jobId: command.jobId, step: command.step, status: result.status, reason },
      },
      manager,
    );
  }
}
