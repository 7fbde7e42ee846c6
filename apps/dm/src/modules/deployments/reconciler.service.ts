import { Injectable, Logger } from '@nestjs/common';
import {
  instanceExports,
  LifecycleError,
  type ExternalExport,
  type LifecycleInput,
  type LifecycleRequest,
} from '@flotilla/model';
import type { StepOutputPayload, StepResultPayload } from '@flotilla/protocol';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { AgentlessDispatch, setupFailureOf } from './agentless-dispatch';
import { instanceAt, rootPathOf, type ApplicationState } from './application-state';
import { ApplicationStateRepository } from './application-state.repository';
import { BatchQueue, type BatchOutcome } from './batch-queue';
import { BoundExportsRepository } from './bound-exports.repository';
import { CommandDispatcher } from './command-dispatcher';
import { CommandsRepository, type StepCommand } from './commands.repository';
import { DeploymentEvents } from './deployment-events';
import { MAX_INTERRUPTED_ATTEMPTS } from './deployments.constants';
import { RESULT_BATCH_MAX } from './deployments.constants';
import { IgnoredResultsRecorder } from './ignored-results.recorder';
import { settle, type SettledReaction } from './lifecycle-settler';
import { ReconcileSession } from './reconcile-session';

/** What a request or a result changed: the state changes and the jobs it queued. */
export interface ReconcileOutcome {
  readonly transitions: SettledReaction['transitions'];
  readonly queuedJobs: readonly string[];
}

const NOTHING: ReconcileOutcome = { transitions: [], queuedJobs: [] };

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
 * The reconciler: the one writer of instances' states. Each input (an operator's request, a step's
 * result) is applied in one transaction with the application row locked: the model's reactor
 * decides the next states and steps, the states are saved and each agent step is queued as a
 * command with a unique job id. The dispatcher then sends what is queued; after a restart it sends
 * again whatever has no result yet (agents run a job id at most once).
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);
  private lane: Promise<unknown> = Promise.resolve();
  /** Per application id: the bound applications' exports its last reaction saw (for `update`). */
  private readonly lastExternal = new Map<string, readonly ExternalExport[]>();
  /** Results arriving while a transaction runs are applied together by the next one. */
  private readonly results = new BatchQueue<PendingResult, ReconcileOutcome>(
    (batch) => this.applyResults(batch),
    RESULT_BATCH_MAX,
  );

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly states: ApplicationStateRepository,
    private readonly boundExports: BoundExportsRepository,
    private readonly commands: CommandsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly events: DeploymentEvents,
    private readonly audit: AuditService,
    private readonly ignoredResults: IgnoredResultsRecorder,
    private readonly agentless: AgentlessDispatch,
  ) {}

  /**
   * Applies operators' requests (desired states) to an application, in order.
   * @throws DmError NOT_FOUND for an unknown application; LifecycleError for an unknown instance.
   */
  async request(
    application: string,
    requests: readonly LifecycleRequest[],
    actor: string,
  ): Promise<ReconcileOutcome> {
    const outcome = await this.serially(() =>
      this.transactions.run(async (manager) => {
        const session = this.sessionIn(manager);
        let state = await session.loadByName(application);
        const merged: {
          transitions: SettledReaction['transitions'][number][];
          queuedJobs: string[];
        } = { transitions: [], queuedJobs: [] };
        for (const request of requests) {
          const result = this.apply(state, { type: 'request', request }, session);
          state = result.state;
          merged.transitions.push(...result.outcome.transitions);
          merged.queuedJobs.push(...result.outcome.queuedJobs);
        }
        await this.audit.record(
          {
            actor,
            action: 'deployment.request',
            target: `application:${application}`,
            details: { requests },
          },
          manager,
        );
        await session.saveAll();
        return { outcome: merged, application };
      }),
    );
    this.announce(outcome.application, outcome.outcome);
    this.wakeImporters(outcome.application, outcome.outcome);
    this.dispatcher.trigger();
    return outcome.outcome;
  }

  /**
   * Applies an agent's step result (idempotent: a job's second result is ignored). A result that
   * no longer fits its instance's state (a late or duplicated delivery) is recorded on its job and
   * in the audit log, changes no state, and does not throw (so that the transport acknowledges it).
   */
  async applyResult(agentName: string, result: StepResultPayload): Promise<ReconcileOutcome> {
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
      const applied = await this.inSession(async (session) => {
        await session.lockCommands(jobIds);
        return this.applyEach(batch, session);
      }).catch((error: unknown) => {
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
      const applied = await this.inSession((session) => this.applyOne(agentName, result, session))
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

  private sessionIn(manager: EntityManager): ReconcileSession {
    const { states, commands, audit } = this;
    return new ReconcileSession({ states, commands, audit }, manager);
  }

  /** Runs `work` in one serial reconciler transaction; what it changed is saved at the end. */
  private inSession<T>(work: (session: ReconcileSession) => Promise<T>): Promise<T> {
    return this.serially(() =>
      this.transactions.run(async (manager) => {
        const session = this.sessionIn(manager);
        const done = await work(session);
        await session.saveAll();
        return done;
      }),
    );
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
      this.announceFinished(done.application, result);
      this.announce(done.application, done.outcome);
      const known = changedExports.get(done.application)?.transitions ?? [];
      changedExports.set(done.application, {
        transitions: [...known, ...done.outcome.transitions],
        queuedJobs: [],
      });
      return done.outcome;
    });
    changedExports.forEach((outcome, application) => this.wakeImporters(application, outcome));
    this.dispatcher.trigger();
    return outcomes;
  }

  /** Reconciles an application with the exports of the applications now bound to it. */
  async refreshBindings(application: string): Promise<void> {
    const { id } = await this.transactions.run((manager) =>
      this.states.loadByName(application, manager),
    );
    await this.wake(id);
  }

  /** Relays a chunk of a running step's output to event listeners. */
  relayOutput(agentName: string, output: StepOutputPayload): void {
    this.events.publish({
      type: 'step.output',
      agent: agentName,
      path: output.instancePath,
      jobId: output.jobId,
      stream: output.stream,
      chunk: output.chunk,
    });
  }

  /**
   * Reconciles (in the background) the applications bound to `application` when one of its
   * instances started or stopped: their external imports changed.
   */
  private wakeImporters(application: string, outcome: ReconcileOutcome): void {
    const isExportChange = outcome.transitions.some(
      (change) => change.from === 'deployed_started' || change.to === 'deployed_started',
    );
    if (application === '' || !isExportChange) {
      return;
    }
    void this.transactions
      .run((manager) => this.boundExports.importersOf(application, manager))
      .then((ids) => Promise.all(ids.map((id) => this.wake(id))))
      .catch((error: unknown) =>
        this.logger.error({ application, error: String(error) }, 'Bound applications not woken'),
      );
  }

  /** Applies the bound applications' current exports to one application. */
  private async wake(applicationId: string): Promise<void> {
    const outcome = await this.serially(() =>
      this.transactions.run(async (manager) => {
        const session = this.sessionIn(manager);
        const state = await session.load(applicationId);
        const external = state.snapshot.external ?? [];
        const seen = this.lastExternal.get(applicationId) ?? external;
        const before = { ...state, snapshot: { ...state.snapshot, external: seen } };
        const input: LifecycleInput = { type: 'external-exports-changed', external };
        const { outcome } = this.apply(before, input, session);
        await session.saveAll();
        return { outcome, name: state.name };
      }),
    );
    this.announce(outcome.name, outcome.outcome);
    this.wakeImporters(outcome.name, outcome.outcome);
    this.dispatcher.trigger();
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
    await this.serially(() =>
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
    let state = await session.load(command.applicationId);
    const reported: ReconcileOutcome[] = [];
    if (isSuccess && Object.keys(result.exports).length > 0) {
      // Through the engine, which keeps its import index: a copied snapshot would need a new one.
      const values = {
        ...instanceExports(state.snapshot, command.instancePath),
        ...result.exports,
      };
      const exported = this.apply(
        state,
        { type: 'exports-changed', instancePath: command.instancePath, values },
        session,
      );
      state = exported.state;
      reported.push(exported.outcome);
    }
    const input: LifecycleInput = isSuccess
      ? { type: 'step-succeeded', instancePath: command.instancePath, step: command.step }
      : {
          type: 'step-failed',
          instancePath: command.instancePath,
          step: command.step,
          exitCode: result.exitCode,
          logTail: result.refusal?.message ?? setupFailureOf(result) ?? result.logTail,
          at: new Date(result.endedAt).toISOString(),
        };
    const applied = this.apply(state, input, session);
    session.audit({
      actor: `agent:${command.agentName ?? ''}`,
      action: 'deployment.step.result',
      target: `instance:${state.name}${command.instancePath}`,
      details: {
        jobId: command.jobId,
        step: command.step,
        status: result.status,
        exitCode: result.exitCode,
      },
    });
    const outcomes = [...reported, applied.outcome];
    return {
      outcome: {
        transitions: outcomes.flatMap((outcome) => outcome.transitions),
        queuedJobs: outcomes.flatMap((outcome) => outcome.queuedJobs),
      },
      application: state.name,
    };
  }

  private apply(
    state: ApplicationState,
    input: LifecycleInput,
    session: ReconcileSession,
  ): { state: ApplicationState; outcome: ReconcileOutcome } {
    const settled = settle(state.snapshot, input);
    const next = { ...state, snapshot: settled.snapshot };
    this.lastExternal.set(state.id, settled.snapshot.external ?? []);
    session.update(next);
    const queuedJobs: string[] = [];
    for (const step of settled.agentSteps) {
      const instance = instanceAt(state, step.instancePath);
      const root = instanceAt(state, rootPathOf(step.instancePath));
      if (instance !== undefined) {
        queuedJobs.push(session.queue(instance.id, root?.agentName ?? null, step));
      }
    }
    return { state: next, outcome: { transitions: settled.transitions, queuedJobs } };
  }

  /** Tells listeners a job ended (a job retried with its bundle, application '', did not). */
  private announceFinished(application: string, result: StepResultPayload): void {
    if (application === '') {
      return;
    }
    this.events.publish({
      type: 'command.finished',
      application,
      path: result.instancePath,
      step: result.step,
      jobId: result.jobId,
      status: result.status,
    });
  }

  private announce(application: string, outcome: ReconcileOutcome): void {
    for (const transition of outcome.transitions) {
      this.events.publish({
        type: 'instance.state',
        application,
        path: transition.instancePath,
        from: transition.from,
        to: transition.to,
        event: transition.event,
      });
    }
  }

  /** Runs reconciler transactions one at a time: the DM is the only leader of its applications. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lane.then(work, work);
    this.lane = run.catch(() => undefined);
    return run;
  }
}
