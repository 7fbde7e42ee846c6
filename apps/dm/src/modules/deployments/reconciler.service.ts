import { Injectable, Logger } from '@nestjs/common';
import {
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
import { rootPathOf, withExports, type ApplicationState } from './application-state';
import { ApplicationStateRepository } from './application-state.repository';
import { BoundExportsRepository } from './bound-exports.repository';
import { CommandDispatcher } from './command-dispatcher';
import { CommandsRepository, type StepCommand } from './commands.repository';
import { DeploymentEvents } from './deployment-events';
import { MAX_INTERRUPTED_ATTEMPTS } from './deployments.constants';
import { IgnoredResultsRecorder } from './ignored-results.recorder';
import { settle, type SettledReaction } from './lifecycle-settler';

/** What a request or a result changed: the state changes and the jobs it queued. */
export interface ReconcileOutcome {
  readonly transitions: SettledReaction['transitions'];
  readonly queuedJobs: readonly string[];
}

const NOTHING: ReconcileOutcome = { transitions: [], queuedJobs: [] };

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
        let state = await this.states.loadByName(application, manager);
        const merged: {
          transitions: SettledReaction['transitions'][number][];
          queuedJobs: string[];
        } = { transitions: [], queuedJobs: [] };
        for (const request of requests) {
          const result = await this.apply(state, { type: 'request', request }, manager);
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
    const outcome = await this.serially(() =>
      this.transactions.run(async (manager) => {
        const command = await this.commands.lockByJobId(result.jobId, manager);
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
        return this.record(command, result, manager);
      }),
    ).catch((error: unknown) => this.recordUnfitting(agentName, result, error));
    if (outcome !== undefined) {
      this.announce(outcome.application, outcome.outcome);
      this.wakeImporters(outcome.application, outcome.outcome);
    }
    this.dispatcher.trigger();
    return outcome?.outcome ?? NOTHING;
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
        const state = await this.states.load(applicationId, manager);
        const external = state.snapshot.external ?? [];
        const seen = this.lastExternal.get(applicationId) ?? external;
        const before = { ...state, snapshot: { ...state.snapshot, external: seen } };
        const input: LifecycleInput = { type: 'external-exports-changed', external };
        return { outcome: (await this.apply(before, input, manager)).outcome, name: state.name };
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
    manager: EntityManager,
  ): Promise<{ outcome: ReconcileOutcome; application: string }> {
    const isSuccess = result.status === 'succeeded' || result.status === 'skipped';
    await this.commands.finish(command.id, isSuccess ? 'succeeded' : 'failed', result, manager);
    let state = await this.states.load(command.applicationId, manager);
    if (isSuccess && Object.keys(result.exports).length > 0) {
      state = withExports(state, command.instancePath, result.exports);
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
    const applied = await this.apply(state, input, manager);
    await this.audit.record(
      {
        actor: `agent:${command.agentName ?? ''}`,
        action: 'deployment.step.result',
        target: `instance:${state.name}${command.instancePath}`,
        details: {
          jobId: command.jobId,
          step: command.step,
          status: result.status,
          exitCode: result.exitCode,
        },
      },
      manager,
    );
    return { outcome: applied.outcome, application: state.name };
  }

  private async apply(
    state: ApplicationState,
    input: LifecycleInput,
    manager: EntityManager,
  ): Promise<{ state: ApplicationState; outcome: ReconcileOutcome }> {
    const settled = settle(state.snapshot, input);
    const next = { ...state, snapshot: settled.snapshot };
    this.lastExternal.set(state.id, settled.snapshot.external ?? []);
    await this.states.save(next, manager);
    const queuedJobs: string[] = [];
    for (const step of settled.agentSteps) {
      const instance = state.instances.find((entry) => entry.path === step.instancePath);
      const root = state.instances.find((entry) => entry.path === rootPathOf(step.instancePath));
      if (instance !== undefined) {
        queuedJobs.push(
          await this.commands.queue(instance.id, root?.agentName ?? null, step, manager),
        );
      }
    }
    return { state: next, outcome: { transitions: settled.transitions, queuedJobs } };
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
