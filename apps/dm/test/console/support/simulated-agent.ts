import type { INestApplication } from '@nestjs/common';
import type { StepResultPayload } from '@flotilla/protocol';
import type { Subscription } from 'rxjs';
import { DeploymentEvents } from '../../../src/modules/deployments/deployment-events';
import { DeploymentsService } from '../../../src/modules/deployments/deployments.service';
import { ReconcilerService } from '../../../src/modules/deployments/reconciler.service';

/** The states in which an instance waits for an agent's step result. */
const BUSY_STATES = new Set(['deploying', 'starting', 'stopping', 'undeploying']);

/** What the simulated agent reports for one step of one instance. */
export type StepReport = (
  path: string,
  step: string,
) => {
  logTail: string;
  openPorts: { port: number; protocol: 'tcp' | 'udp' }[];
};

/**
 * Stands in for a real agent inside the DM: whenever an instance enters a busy state it relays one
 * line of output (with markup in it, which the console must show as text) and answers the
 * instance's unanswered jobs with successful step results, through the reconciler's own inputs
 * (what the DM's inbox handlers do with verified `agent.step.output.v1` and `agent.step.result.v1`).
 */
export class SimulatedAgent {
  private readonly subscription: Subscription;
  private readonly answered = new Set<string>();
  private work: Promise<unknown> = Promise.resolve();
  /** Errors of answers, kept for the test to assert there were none. */
  readonly errors: unknown[] = [];

  constructor(
    app: INestApplication,
    private readonly name: string,
    private readonly application: string,
    private readonly report: StepReport,
  ) {
    const deployments = app.get(DeploymentsService, { strict: false });
    const reconciler = app.get(ReconcilerService, { strict: false });
    this.subscription = app
      .get(DeploymentEvents, { strict: false })
      .stream()
      .subscribe((event) => {
        if (event.type === 'instance.state' && BUSY_STATES.has(event.to)) {
          this.work = this.work
            .then(() => this.answer(deployments, reconciler, event.path))
            .catch((error: unknown) => this.errors.push(error));
        }
      });
  }

  private async answer(
    deployments: DeploymentsService,
    reconciler: ReconcilerService,
    path: string,
  ): Promise<void> {
    const runs = await deployments.recentRuns(this.application, path);
    for (const run of runs.filter((r) => r.status === 'queued' || r.status === 'sent')) {
      if (this.answered.has(run.jobId)) {
        continue;
      }
      this.answered.add(run.jobId);
      reconciler.relayOutput(this.name, {
        jobId: run.jobId,
        instancePath: path,
        sequence: 0,
        stream: 'stdout',
        chunk: `${run.step} of ${path}: <b>running</b>\n`,
      });
      const now = Date.now();
      await reconciler.applyResult(this.name, {
        jobId: run.jobId,
        attempt: run.attempt,
        instancePath: path,
        step: run.step as StepResultPayload['step'],
        status: 'succeeded',
        exitCode: 0,
        signal: null,
        exports: {},
        ...this.report(path, run.step),
        startedAt: now,
        endedAt: now,
      });
    }
  }

  /** Stops answering, after the answers under way. */
  async stop(): Promise<void> {
    this.subscription.unsubscribe();
    await this.work;
  }
}
