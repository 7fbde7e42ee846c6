import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { RecipeError } from '../errors';
import {
  DEFAULT_KILL_GRACE_MS,
  DEFAULT_MAX_CONCURRENT_STEPS,
  OUTPUT_DRAIN_GRACE_MS,
} from '../recipes.constants';
import { CappedOutput } from './capped-output';
import { Semaphore } from './semaphore';
import { StepDeadline } from './step-deadline';
import type { OutputStream, StepResult, StepRunOptions } from './step-result';

/** Options of a `ScriptRunner`, with defaults from recipes.constants.ts. */
export interface ScriptRunnerOptions {
  /** How many scripts may run at once (default DEFAULT_MAX_CONCURRENT_STEPS). */
  readonly maxConcurrentSteps?: number;
  /** Time between SIGTERM and SIGKILL of a stopped step's group (default DEFAULT_KILL_GRACE_MS). */
  readonly killGraceMs?: number;
}

/**
 * Runs recipe scripts: one process group per step (the script leads it), no shell, an explicit
 * environment, a timeout that stops the whole group, capped output and a concurrency limit.
 */
export class ScriptRunner {
  private readonly semaphore: Semaphore;
  private readonly killGraceMs: number;

  constructor(options: ScriptRunnerOptions = {}) {
    this.semaphore = new Semaphore(options.maxConcurrentSteps ?? DEFAULT_MAX_CONCURRENT_STEPS);
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  }

  /**
   * Runs one script to its end (or its timeout) and reports what happened; a non-zero exit is a
   * result, not an exception.
   * @throws RecipeError STEP_SPAWN_FAILED when the script cannot be started at all.
   */
  run(options: StepRunOptions): Promise<StepResult> {
    return this.semaphore.withSlot(() => this.runNow(options));
  }

  private async runNow(options: StepRunOptions): Promise<StepResult> {
    const startedAt = new Date();
    const output = new CappedOutput(options.outputCapBytes);
    const child = spawnDetached(options);
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const closed = once(child, 'close').then(
      () => true,
      () => false,
    );
    // A failed spawn rejects these through 'error'; awaitSpawn reports it, so mark them handled.
    exited.catch(() => undefined);
    await this.awaitSpawn(child, options);
    const pgid = child.pid as number;
    const capture = this.capture(child, output, options.onOutput);
    const deadline = new StepDeadline(pgid, options.timeoutMs, this.killGraceMs, options.signal);
    const [exitCode, signal] = await exited;
    await deadline.settle();
    await this.drain(child, closed, capture);
    const { timedOut, aborted } = deadline;
    return {
      exitCode,
      signal,
      timedOut,
      aborted,
      output: output.snapshot(),
      startedAt,
      endedAt: new Date(),
    };
  }

  private async awaitSpawn(child: ChildProcess, options: StepRunOptions): Promise<void> {
    try {
      await once(child, 'spawn');
    } catch (error: unknown) {
      throw new RecipeError(
        'STEP_SPAWN_FAILED',
        `Cannot start recipe script ${options.scriptPath} in ${options.cwd}: ${String(error)}`,
        { file: options.scriptPath },
        { cause: error },
      );
    }
  }

  private capture(
    child: ChildProcess,
    output: CappedOutput,
    onOutput: ((chunk: string, stream: OutputStream) => void) | undefined,
  ): { isDetached: boolean } {
    const state = { isDetached: false };
    const listen = (stream: OutputStream): void => {
      child[stream]?.on('data', (chunk: Buffer) => {
        if (!state.isDetached) {
          output.append(chunk);
          onOutput?.(chunk.toString('utf8'), stream);
        }
      });
    };
    listen('stdout');
    listen('stderr');
    return state;
  }

  /**
   * Waits briefly for the pipes to close. A daemon the script left running (a server started by
   * start.sh) may hold them open forever: its later output is then read and discarded, with the
   * pipes unref'ed so they keep no one alive. Closing them instead would kill that daemon with
   * SIGPIPE at its next write.
   */
  private async drain(
    child: ChildProcess,
    closed: Promise<boolean>,
    capture: { isDetached: boolean },
  ): Promise<void> {
    const grace = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(false), OUTPUT_DRAIN_GRACE_MS).unref(),
    );
    if (!(await Promise.race([closed, grace]))) {
      capture.isDetached = true;
      for (const stream of [child.stdout, child.stderr]) {
        (stream as Socket | null)?.unref();
      }
    }
  }
}

/** Starts the script as the leader of a new process group (detached), without a shell. */
function spawnDetached(options: StepRunOptions): ChildProcess {
  return spawn(options.scriptPath, [], {
    cwd: options.cwd,
    env: { ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.user?.uid,
    gid: options.user?.gid,
  });
}
