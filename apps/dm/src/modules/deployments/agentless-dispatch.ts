import { Injectable, Logger } from '@nestjs/common';
import type { StepResultPayload } from '@flotilla/protocol';
import { SYSTEM_ACTOR } from '../../dm.constants';
import { TransactionRunner, type Transaction } from '../../persistence/transaction-runner';
import {
  AGENTLESS_ROOTS_TTL_MS,
  HAND_OVER_FAILURE_CODES,
  TRIED_PROXIES_FIELD,
} from '../agentless/agentless.constants';
import { AgentlessTargetsRepository } from '../agentless/agentless-targets.repository';
import {
  AgentlessRouter,
  triedProxiesOf,
  type AgentlessRoute,
} from '../agentless/agentless-router';
import { AuditService } from '../audit/audit.service';
import { CommandsRepository, type StepCommand } from './commands.repository';

/**
 * The reconciler's side of agentless roots: where the dispatcher sends their steps, and the
 * hand-over of a step to the next proxy when its proxy is lost (heartbeats, shutdown notice) or
 * could not reach the target. A hand-over cancels the job and queues a new attempt of the same
 * step (a new job id) remembering the proxies already tried; a late result of the old job is
 * then ignored like any result of a cancelled job.
 */
@Injectable()
export class AgentlessDispatch {
  private readonly logger = new Logger(AgentlessDispatch.name);
  private roots: { readonly keys: ReadonlySet<string>; readonly readAt: number } | undefined;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly router: AgentlessRouter,
    private readonly targets: AgentlessTargetsRepository,
    private readonly commands: CommandsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Where the dispatcher sends `command` now. The agentless roots are read at most once per
   * `AGENTLESS_ROOTS_TTL_MS`: a root declared meanwhile waits that long (its steps have no agent,
   * so they stay queued), and agent roots cost no query per command.
   */
  async route(command: StepCommand): Promise<AgentlessRoute> {
    if (this.roots === undefined || Date.now() - this.roots.readAt > AGENTLESS_ROOTS_TTL_MS) {
      const keys = await this.transactions.run((tx) => this.targets.rootKeys(tx));
      this.roots = { keys, readAt: Date.now() };
    }
    if (!AgentlessRouter.isMaybeAgentless(command, this.roots.keys)) {
      return { kind: 'agent' };
    }
    return this.transactions.run((tx) => this.router.route(command, tx));
  }

  /** Hands a step sent to a proxy that is no longer up to the next one; false if it moved on. */
  async handOverLost(command: StepCommand, from: string): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      const locked = await this.commands.lockByJobId(command.jobId, tx);
      if (locked?.status !== 'sent' || locked.agentName !== from) {
        return false;
      }
      await this.requeue(locked, from, `proxy ${from} is lost`, undefined, tx);
      return true;
    });
  }

  /**
   * In the result's transaction: when an agentless step failed because its proxy could not reach
   * the target and another proxy is up, hands it over and returns the new job id.
   */
  async handOverFailed(
    command: StepCommand,
    result: StepResultPayload,
    tx: Transaction,
  ): Promise<string | undefined> {
    const failure = result.setup?.failure;
    const from = command.agentName;
    if (
      failure === undefined ||
      from === null ||
      !HAND_OVER_FAILURE_CODES.has(failure.code) ||
      !(await this.router.hasUntriedProxy(command, from, tx))
    ) {
      return undefined;
    }
    const reason = `proxy ${from} could not reach ${result.setup?.target ?? 'the target'}: ${failure.code}`;
    return this.requeue(command, from, reason, result, tx);
  }

  private async requeue(
    command: StepCommand,
    from: string,
    reason: string,
    result: StepResultPayload | undefined,
    tx: Transaction,
  ): Promise<string> {
    await this.commands.finish(command.id, 'cancelled', { handedOver: reason, result }, tx);
    const details = {
      ...command.details,
      [TRIED_PROXIES_FIELD]: [...triedProxiesOf(command.details), from],
    } as Parameters<CommandsRepository['queue']>[2];
    const jobId = await this.commands.queue(command.instanceId, null, details, tx);
    await this.audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: 'deployment.command.handed-over',
        target: `instance:${command.instancePath}`,
        details: { jobId: command.jobId, newJobId: jobId, step: command.step, from, reason },
      },
      tx,
    );
    this.logger.warn(
      { jobId: command.jobId, newJobId: jobId, step: command.step, from, reason },
      'Agentless step handed to the next proxy',
    );
    return jobId;
  }
}

/** An agentless step's set-up failure as the operator reads it (apart from any recipe output). */
export function setupFailureOf(result: StepResultPayload): string | undefined {
  const failure = result.setup?.failure;
  return failure === undefined
    ? undefined
    : `proxy set-up failed (${failure.phase}) on ${result.setup?.target ?? '?'}: ${failure.code}: ${failure.message}`;
}
