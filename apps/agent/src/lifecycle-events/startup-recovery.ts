import type { InventoryPayload } from '@flotilla/protocol';
import type { JobJournal } from '../jobs/job-journal';
import type { InstanceStore } from '../instances/instance-store';
import type { AgentLogger } from '../support/agent-logger';
import type { StepJobRunner } from '../runner/step-job-runner';

/** The log tail recorded for a job whose step a crash interrupted. */
export const INTERRUPTED_LOG_TAIL = 'interrupted: the agent stopped while this step ran';

/**
 * Closes the journal entries a crash left running: each is recorded as `aborted` (a duplicate
 * command gets that answer, the step never runs twice) and the instance keeps its previous stable
 * state, which the instance store still holds. Returns the interrupted job ids.
 */
export async function recoverInterruptedJobs(
  journal: JobJournal,
  instances: InstanceStore,
  runner: StepJobRunner,
  logger: AgentLogger,
): Promise<string[]> {
  const interrupted = await journal.running();
  for (const entry of interrupted) {
    const known = await instances.get(entry.instancePath);
    await journal.finish(entry, {
      jobId: entry.jobId,
      attempt: entry.attempt,
      instancePath: entry.instancePath,
      step: entry.step,
      status: 'aborted',
      exitCode: null,
      signal: null,
      logTail: INTERRUPTED_LOG_TAIL,
      exports: known?.exports ?? {},
      openPorts: await runner.openPortsOf(entry.instancePath),
      startedAt: entry.acceptedAt,
      endedAt: Date.now(),
    });
    logger.warn('job interrupted by a crash recorded as aborted', {
      jobId: entry.jobId,
      step: entry.step,
      instancePath: entry.instancePath,
      state: known?.state ?? 'not_deployed',
    });
  }
  return interrupted.map((entry) => entry.jobId);
}

/** The inventory the agent reports at start: instances, their ports, interrupted jobs, bundles. */
export async function buildInventory(
  instances: InstanceStore,
  runner: StepJobRunner,
  interruptedJobs: readonly string[],
  bundles: InventoryPayload['bundles'],
): Promise<InventoryPayload> {
  const records = await instances.list();
  return {
    instances: await Promise.all(
      records.map(async (record) => ({
        path: record.path,
        state: record.state,
        exports: record.exports,
        openPorts: await runner.openPortsOf(record.path),
      })),
    ),
    interruptedJobs: [...interruptedJobs],
    bundles,
  };
}
