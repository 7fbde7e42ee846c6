import type { DmClient } from '../api/dm-client';
import { FAILURE_LOG_TAIL_LINES } from '../cli.constants';
import { CliError } from '../cli-error';
import type { InstanceView } from '../commands/dm-views';
import { isInSubtree } from '../commands/instance-tree';
import { instancesPathOf } from '../commands/instance.command';
import type { ProgressBar } from '../output/progress-bar';
import { EventWakeup } from './event-wakeup';

/** What to wait for: every instance of the app (or of one subtree) in one state. */
export interface WaitTarget {
  readonly app: string;
  readonly path?: string;
  readonly state: string;
}

/** How long to wait in all, and how often to read the instances when no event arrives. */
export interface WaitLimits {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

function failureOf(instance: InstanceView): CliError {
  const failure = instance.lastFailure ?? {};
  const exit =
    failure.exitCode === null || failure.exitCode === undefined
      ? 'no exit code'
      : `exit code ${failure.exitCode}`;
  const tail = lastLines(failure.logTail ?? '', FAILURE_LOG_TAIL_LINES);
  return new CliError(
    'STEP_FAILED',
    `${instance.path}: step ${failure.step ?? '?'} failed (${exit}) on agent ${instance.runsOn ?? '-'}, back in ${instance.state}` +
      (tail === '' ? '' : `\n--- last lines of its log ---\n${tail}`),
  );
}

function rootOf(path: string): string {
  return `/${path.split('/')[1] ?? ''}`;
}

/** Waits, with a progress bar, until the targeted instances reach the state or one fails. */
export class DeploymentWaiter {
  constructor(
    private readonly dm: DmClient,
    private readonly limits: WaitLimits,
  ) {}

  /**
   * Resolves with the instances once every targeted one is in the target state.
   * @throws CliError STEP_FAILED with the failing instance's log tail, NO_AGENT when a targeted
   * instance has no agent to run on, WAIT_TIMEOUT when the time is up.
   */
  async wait(
    target: WaitTarget,
    progressOf: (total: number) => ProgressBar,
  ): Promise<InstanceView[]> {
    const wakeup = new EventWakeup();
    wakeup.start(this.dm);
    const deadline = Date.now() + this.limits.timeoutMs;
    let progress: ProgressBar | undefined;
    try {
      for (;;) {
        const all = await this.dm.request<InstanceView[]>('GET', instancesPathOf(target.app));
        const scoped = all.filter(
          (item) => target.path === undefined || isInSubtree(item.path, target.path),
        );
        progress ??= progressOf(scoped.length);
        const reached = scoped.filter((item) => item.state === target.state);
        const moving = scoped.find((item) => item.state !== target.state);
        progress.update(reached.length, moving ? `${moving.path} ${moving.state}` : target.state);
        this.throwOnDeadEnd(target, all, scoped);
        if (moving === undefined) {
          return all;
        }
        if (Date.now() >= deadline) {
          throw new CliError(
            'WAIT_TIMEOUT',
            `Gave up after ${Math.round(this.limits.timeoutMs / 1000)}s: ${reached.length}/${scoped.length} instances of ${target.app} are ${target.state}; ${moving.path} is ${moving.state} (flotilla instance ls ${target.app})`,
          );
        }
        await wakeup.next(Math.min(this.limits.pollIntervalMs, Math.max(0, deadline - Date.now())));
      }
    } finally {
      progress?.finish();
      wakeup.close();
    }
  }

  private throwOnDeadEnd(
    target: WaitTarget,
    all: readonly InstanceView[],
    scoped: readonly InstanceView[],
  ): void {
    const failed = scoped.find((item) => item.lastFailure !== null);
    if (failed) {
      throw failureOf(failed);
    }
    if (target.state === 'not_deployed') {
      return;
    }
    // Roots without an agent (Roboconf targets such as VMs) settle on the DM itself, but their
    // children's steps wait for an agent that will never come (unless a proxy serves the root).
    const unbound = scoped
      .filter((item) => item.state !== target.state)
      .map((item) => all.find((candidate) => candidate.path === rootOf(item.path)))
      .find((root) => root !== undefined && root.agent === null && !root.agentless);
    if (unbound) {
      throw new CliError(
        'NO_AGENT',
        `${target.app} ${unbound.path} runs on no agent, so nothing can deploy it: flotilla instance bind ${target.app} ${unbound.path} AGENT (see flotilla agent ls)`,
      );
    }
  }
}
