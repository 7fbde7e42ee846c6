import { Injectable, Logger } from '@nestjs/common';
import type { LifecycleInput } from '@flotilla/model';
import type { StepResultPayload } from '@flotilla/protocol';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { ApplicationStateRepository } from './application-state.repository';
import { BoundExportsRepository } from './bound-exports.repository';
import { CommandDispatcher } from './command-dispatcher';
import { DeploymentEvents } from './deployment-events';
import type { ReconcileOutcome } from './reconcile-outcome';
import { ReconcileWriter } from './reconcile-writer';

/**
 * What follows a committed reconciler transaction: its state changes and finished jobs are
 * published as deployment events, the applications bound to one whose exports changed are
 * reconciled with them (in the background), and the dispatcher is woken to send the queued jobs.
 */
@Injectable()
export class ReconcileAnnouncer {
  private readonly logger = new Logger(ReconcileAnnouncer.name);

  constructor(
    private readonly writer: ReconcileWriter,
    private readonly transactions: TransactionRunner,
    private readonly states: ApplicationStateRepository,
    private readonly boundExports: BoundExportsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly events: DeploymentEvents,
  ) {}

  /** Announces what a committed input changed in an application and sends its queued jobs. */
  committed(application: string, outcome: ReconcileOutcome): void {
    this.announce(application, outcome);
    this.wakeImporters(application, outcome);
    this.dispatcher.trigger();
  }

  /** Reconciles an application with the exports of the applications now bound to it. */
  async refreshBindings(application: string): Promise<void> {
    const { id } = await this.transactions.run((manager) =>
      this.states.loadByName(application, manager),
    );
    await this.wake(id);
  }
  /** Tells listeners a job ended (a job retried with its bundle, application '', did not). */
  announceFinished(application: string, result: StepResultPayload): void {
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
  announce(application: string, outcome: ReconcileOutcome): void {
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
  /**
   * Reconciles (in the background) the applications bound to `application` when one of its
   * instances started or stopped: their external imports changed.
   */
  wakeImporters(application: string, outcome: ReconcileOutcome): void {
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
    const outcome = await this.writer.serially(() =>
      this.transactions.run(async (manager) => {
        const session = this.writer.sessionIn(manager);
        const state = await session.load(applicationId);
        const external = state.snapshot.external ?? [];
        const seen = this.writer.lastExternalOf(applicationId) ?? external;
        const before = { ...state, snapshot: { ...state.snapshot, external: seen } };
        const input: LifecycleInput = { type: 'external-exports-changed', external };
        const { outcome } = this.writer.apply(before, input, session);
        await session.saveAll();
        return { outcome, name: state.name };
      }),
    );
    this.committed(outcome.name, outcome.outcome);
  }
}
