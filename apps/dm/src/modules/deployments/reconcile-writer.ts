import { Injectable } from '@nestjs/common';
import type { ExternalExport, LifecycleInput } from '@flotilla/model';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { instanceAt, rootPathOf, type ApplicationState } from './application-state';
import { ApplicationStateRepository } from './application-state.repository';
import { CommandsRepository } from './commands.repository';
import { settle } from './lifecycle-settler';
import type { ReconcileOutcome } from './reconcile-outcome';
import { ReconcileSession } from './reconcile-session';

/**
 * The one writer of instances' states: runs the reconciler's transactions one at a time (the DM is
 * the only leader of its applications), each in a `ReconcileSession` saved at its end, and applies
 * inputs to an application with the model's reactor, queuing a job for each agent step it decides.
 */
@Injectable()
export class ReconcileWriter {
  private lane: Promise<unknown> = Promise.resolve();
  /** Per application id: the bound applications' exports its last reaction saw (for `update`). */
  private readonly lastExternal = new Map<string, readonly ExternalExport[]>();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly states: ApplicationStateRepository,
    private readonly commands: CommandsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The bound applications' exports the last reaction of an application saw, if any. */
  lastExternalOf(applicationId: string): readonly ExternalExport[] | undefined {
    return this.lastExternal.get(applicationId);
  }

  /** A session in the given transaction (for work already in the lane). */
  sessionIn(manager: EntityManager): ReconcileSession {
    const { states, commands, audit } = this;
    return new ReconcileSession({ states, commands, audit }, manager);
  }
  /** Runs `work` in one serial reconciler transaction; what it changed is saved at the end. */
  inSession<T>(work: (session: ReconcileSession) => Promise<T>): Promise<T> {
    return this.serially(() =>
      this.transactions.run(async (manager) => {
        const session = this.sessionIn(manager);
        const done = await work(session);
        await session.saveAll();
        return done;
      }),
    );
  }
  /** Applies one input to an application in a session; the jobs it queues are saved with it. */
  apply(
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
  /** Runs reconciler transactions one at a time: the DM is the only leader of its applications. */
  serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lane.then(work, work);
    this.lane = run.catch(() => undefined);
    return run;
  }
}
