import { Injectable } from '@nestjs/common';
import type { LifecycleRequest } from '@flotilla/model';
import type { StepOutputPayload, StepResultPayload } from '@flotilla/protocol';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { DeploymentEvents } from './deployment-events';
import { ReconcileAnnouncer } from './reconcile-announcer';
import { mergedOutcome, type ReconcileOutcome } from './reconcile-outcome';
import { ReconcileWriter } from './reconcile-writer';
import { StepResultsApplier } from './step-results.applier';

export type { ReconcileOutcome } from './reconcile-outcome';

/**
 * The reconciler: the one writer of instances' states. Each input (an operator's request, a step's
 * result) is applied in one transaction with the application row locked: the model's reactor
 * decides the next states and steps, the states are saved and each agent step is queued as a
 * command with a unique job id. The dispatcher then sends what is queued; after a restart it sends
 * again whatever has no result yet (agents run a job id at most once). The work is shared by
 * `ReconcileWriter` (transactions, reactions), `StepResultsApplier` (agents' results) and
 * `ReconcileAnnouncer` (events, bound applications, dispatch).
 */
@Injectable()
export class ReconcilerService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly writer: ReconcileWriter,
    private readonly announcer: ReconcileAnnouncer,
    private readonly results: StepResultsApplier,
    private readonly events: DeploymentEvents,
    private readonly audit: AuditService,
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
    const outcome = await this.writer.serially(() =>
      this.transactions.run(async (manager) => {
        const session = this.writer.sessionIn(manager);
        let state = await session.loadByName(application);
        const outcomes: ReconcileOutcome[] = [];
        for (const request of requests) {
          const result = this.writer.apply(state, { type: 'request', request }, session);
          state = result.state;
          outcomes.push(result.outcome);
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
        return { outcome: mergedOutcome(outcomes), application };
      }),
    );
    this.announcer.committed(outcome.application, outcome.outcome);
    return outcome.outcome;
  }
  /**
   * Applies an agent's step result (idempotent: a job's second result is ignored). A result that
   * no longer fits its instance's state (a late or duplicated delivery) is recorded on its job and
   * in the audit log, changes no state, and does not throw (so that the transport acknowledges it).
   */
  async applyResult(agentName: string, result: StepResultPayload): Promise<ReconcileOutcome> {
    return this.results.add(agentName, result);
  }
  /** Reconciles an application with the exports of the applications now bound to it. */
  async refreshBindings(application: string): Promise<void> {
    await this.announcer.refreshBindings(application);
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
}
