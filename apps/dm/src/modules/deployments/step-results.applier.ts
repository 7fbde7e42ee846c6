import { Injectable, Logger } from '@nestjs/common';
import { instanceExports, LifecycleError, type LifecycleInput } from '@flotilla/model';
import type { StepResultPayload } from '@flotilla/protocol';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { AgentlessDispatch, setupFailureOf } from './agentless-dispatch';
import type { ApplicationState } from './application-state';
import { ApplicationStateRepository } from './application-state.repository';
import { BatchQueue, type BatchOutcome } from './batch-queue';
import { CommandDispatcher } from './command-dispatcher';
import { CommandsRepository, type StepCommand } from './commands.repository';
import { MAX_INTERRUPTED_ATTEMPTS, RESULT_BATCH_MAX } from './deployments.constants';
import { IgnoredResultsRecorder } from './ignored-results.recorder';
import { mergedOutcome, NOTHING, type ReconcileOutcome } from './reconcile-outcome';
import { ReconcileAnnouncer } from './reconcile-announcer';
import type { ReconcileSession } from './reconcile-session';
import { ReconcileWriter } from './reconcile-writer';

/** A step result waiting for the reconciler. */
interface PendingResult {
  readonly agentName: string;
  readonly result: StepResultPayload;
}

/** What one input changed in one application ('' when it changed no application's state). */
interface Applied {
  readonly outcome: ReconcileOutcome;
  readonly application: string;
}

/**
 * Applies agents' step results (idempotent: a job's second result is ignored). Results arriving
 * while a transaction runs are applied together by the next one. A result that no longer fits its
 * instance's state (a late or duplicated delivery) is recorded on its job and in the audit log,
 * changes no state, and does not throw (so that the transport acknowledges it). An aborted step is
 * run again, a missing bundle sent again, and a failed agentless set-up handed to the next proxy.
 */
@Injectable()
export class StepResultsApplier {
  private readonly logger = new Logger(StepResultsApplier.name);
  private readonly results = new BatchQueue<PendingResult, ReconcileOutcome>(
    (batch) => this.applyResults(batch),
    RESULT_BATCH_MAX,
  );

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly writer: ReconcileWriter,
    private readonly announcer: ReconcileAnnouncer,
    private readonly states: ApplicationStateRepository,
    private readonly commands: CommandsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly audit: AuditService,
    private readonly ignoredResults: IgnoredResultsRecorder,
    private readonly agentless: AgentlessDispatch,
  ) {}

  /** Applies an agent's step result, with whatever other results arrive meanwhile. */
  add(agentName: string, result: StepResultPayload): Promise<ReconcileOutcome> {
    return this.results.add({ agentName, result });
  }

  /**
   * Applies a batch of results in one transaction (each application loaded and saved once). When
   * that fails, the results are applied one by one, so that one result the lifecycle refuses
   * (recorded as unfitting) or a broken one does not hold back the others.
   */
  private async applyResults(
    batch: readonly PendingResult[],
  ): Promise<Array<BatchOutcome<ReconcileOutcome>>> {
    if (batch.length > 1) {
      const jobIds = batch.map(({ result }) => result.jobId);
      const applied = await this.writer
        .inSession(async (session) => {
          await session.lockCommands(jobIds);
          return this.applyEach(batch, session);
        })
        .catch((error: unknown) => {
          this.logger.debug({ size: batch.length, error: String(error) }, 'Batch retried alone');
          return undefined;
        });
      if (applied !== undefined) {
        return this.afterResults(batch, applied).map((value) => ({ isOk: true, value }));
      }
    }
    const outcomes: Array<BatchOutcome<ReconcileOutcome>> = [];
    for (const pending of batch) {
      const { agentName, result } = pending;
      const applied = await this.writer
        .inSession((session) => this.applyOne(agentName, result, session))
        .catch((error: unknown) => this.recordUnfitting(agentName, result, error))
        .then(
          (value) => ({ isOk: true as const, value }),
          (error: unknown) => ({ isOk: false as const, error }),
        );
      outcomes.push(
        applied.isOk
          ? { isOk: true, value: this.afterResults([pending], [applied.value])[0] ?? NOTHING }
          : applied,
      );
    }
    return outcomes;
  }
  private async applyEach(
    batch: readonly PendingResult[],
    session: ReconcileSession,
  ): Promise<Array<Applied | undefined>> {
    const applied: Array<Applied | undefined> = [];
    for (const { agentName, result } of batch) {
      applied.push(await this.applyOne(agentName, result, session));
    }
    return applied;
  }
  /** Applies one result within a transaction (idempotent: a job's second result is ignored). */
  private async applyOne(
    agentName: string,
    result: StepResultPayload,
    session: ReconcileSession,
  ): Promise<Applied | undefined> {
    const manager = session.manager;
    const command = await session.commandOf(result.jobId);
    if (!this.isAwaited(command, agentName, result)) {
      return undefined;
    }
    if (result.status === 'aborted' && command.attempt < MAX_INTERRUPTED_ATTEMPTS) {
      // The agent died during the step: it never ended, so it is run again, not failed.
      return this.requeue(command, result, manager);
    }
    if (result.status === 'refused' && result.refusal?.code === 'BUNDLE_MISSING') {
      return this.retryWithBundle(command, result, manager);
    }
    const handedTo = await this.agentless.handOverFailed(command, result, manager);
    if (handedTo !== undefined) {
      return { outcome: { transitions: [], queuedJobs: [handedTo] }, application: '' };
    }
    return this.record(command, result, session);
  }
  /**
   * Announces what committed results changed, wakes the importers of each application whose
   * exports changed (once per batch), and has the dispatcher send the queued jobs.
   */
  private afterResults(
    batch: readonly PendingResult[],
    applied: ReadonlyArray<Applied | undefined>,
  ): ReconcileOutcome[] {
    const changedExports = new Map<string, ReconcileOutcome>();
    const outcomes = batch.map(({ result }, index) => {
      const done = applied[index];
      if (done === undefined) {
        return NOTHING;
      }
      this.announcer.announceFinished(done.application, result);
      this.announcer.announce(done.application, done.outcome);
      const known = changedExports.get(done.application)?.transitions ?? [];
      changedExports.set(done.application, {
        transitions: [...known, ...done.outcome.transitions],
        queuedJobs: [],
      });
      return done.outcome;
    });
    changedExports.forEach((outcome, application) =>
      this.announcer.wakeImporters(application, outcome),
    );
    this.dispatcher.trigger();
    return outcomes;
  }
  private isAwaited(
    command: StepCommand | undefined,
    agentName: string,
    result: StepResultPayload,
  ): command is StepCommand {
    if (command === undefined || command.agentName !== agentName) {
      this.logger.warn(
        { jobId: result.jobId, agent: agentName },
        'Result for no job of this agent: ignored',
      );
      return false;
    }
    return command.status === 'queued' || command.status === 'sent';
  }
  /** Marks the job of a result the lifecycle refused (ILLEGAL_TRANSITION) as cancelled, at warn. */
  private async recordUnfitting(
    agentName: string,
    result: StepResultPayload,
    error: unknown,
  ): Promise<undefined> {
    if (!(error instanceof LifecycleError) || error.code !== 'ILLEGAL_TRANSITION') {
      throw error;
    }
    this.logger.warn(
      { jobId: result.jobId, agent: agentName, status: result.status, reason: error.message },
      'Step result does not fit the instance state: recorded, no state change',
    );
    const reason = `${error.code}: ${error.message}`;
    await this.writer.serially(() =>
      this.transactions.run((manager) =>
        this.ignoredResults.record(agentName, result, reason, manager),
      ),
    );
    return undefined;
  }
  private async retryWithBundle(
    command: StepCommand,
    result: StepResultPayload,
    manager: EntityManager,
  ): Promise<{ outcome: ReconcileOutcome; application: string }> {
    this.dispatcher.forgetBundles(command.agentName ?? '');
    return this.requeue(command, result, manager);
  }
  /** Cancels a job with the result it got, and queues its step again as a new job. */
  private async requeue(
    command: StepCommand,
    result: StepResultPayload,
    manager: EntityManager,
  ): Promise<{ outcome: ReconcileOutcome; application: string }> {
    await this.commands.finish(command.id, 'cancelled', result, manager);
    const details = command.details as Parameters<CommandsRepository['queue']>[2];
    const jobId = await this.commands.queue(
      command.instanceId,
      command.agentName,
      details,
      manager,
    );
    const { name } = await this.states.load(command.applicationId, manager);
    await this.audit.record(
      {
        actor: `agent:${command.agentName ?? ''}`,
        action: 'deployment.step.result',
        target: `instance:${name}${command.instancePath}`,
        details: {
          jobId: command.jobId,
          step: command.step,
          status: result.status,
          retriedAs: jobId,
        },
      },
      manager,
    );
    return { outcome: { transitions: [], queuedJobs: [jobId] }, application: '' };
  }
  private async record(
    command: StepCommand,
    result: StepResultPayload,
    session: ReconcileSession,
  ): Promise<Applied> {
    const isSuccess = result.status === 'succeeded' || result.status === 'skipped';
    session.finish(command, isSuccess ? 'succeeded' : 'failed', result);
    const loaded = await session.load(command.applicationId);
    const reported =
      isSuccess && Object.keys(result.exports).length > 0
        ? this.reportExports(loaded, command.instancePath, result.exports, session)
        : { state: loaded, outcome: NOTHING };
    const applied = this.writer.apply(reported.state, inputOf(command, result), session);
    session.audit({
      actor: `agent:${command.agentName ?? ''}`,
      action: 'deployment.step.result',
      target: `instance:${loaded.name}${command.instancePath}`,
      details: {
        jobId: command.jobId,
        step: command.step,
        status: result.status,
        exitCode: result.exitCode,
      },
    });
    return {
      outcome: mergedOutcome([reported.outcome, applied.outcome]),
      application: loaded.name,
    };
  }

  /**
   * Merges the values an agent reported into an instance's exports, through the engine (which
   * keeps its import index: a copied snapshot would need a new one).
   */
  private reportExports(
    state: ApplicationState,
    instancePath: string,
    reported: Readonly<Record<string, string>>,
    session: ReconcileSession,
  ): { state: ApplicationState; outcome: ReconcileOutcome } {
    const values = { ...instanceExports(state.snapshot, instancePath), ...reported };
    return this.writer.apply(state, { type: 'exports-changed', instancePath, values }, session);
  }
}

/** The lifecycle input a step's result stands for. */
function inputOf(command: StepCommand, result: StepResultPayload): LifecycleInput {
  if (result.status === 'succeeded' || result.status === 'skipped') {
    return { type: 'step-succeeded', instancePath: command.instancePath, step: command.step };
  }
  return {
    type: 'step-failed',
    instancePath: command.instancePath,
    step: command.step,
    exitCode: result.exitCode,
    logTail: result.refusal?.message ?? setupFailureOf(result) ?? result.logTail,
    at: new Date(result.endedAt).toISOString(),
  };
}
