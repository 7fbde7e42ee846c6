import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BenchJob, BenchMessage } from './bench.constants';

const CHILD_TIMEOUT_MS = 300_000;
const EXIT_GRACE_MS = 10_000;

/** One forked benchmark process and the messages it sent, awaited by kind with a timeout. */
export class ChildLink {
  private readonly received: BenchMessage[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly child: ChildProcess;

  /** `profileDir`: when set, the child writes a V8 CPU profile there (node --cpu-prof). */
  constructor(job: BenchJob, profileDir?: string) {
    const profiling =
      profileDir === undefined
        ? []
        : [
            '--cpu-prof',
            `--cpu-prof-dir=${profileDir}`,
            `--cpu-prof-name=${job.mode}-${job.role}-${process.hrtime.bigint()}.cpuprofile`,
          ];
    this.child = fork(join(__dirname, 'child.ts'), [JSON.stringify(job)], {
      execArgv: [
        '--conditions=flotilla-source',
        '-r',
        'ts-node/register/transpile-only',
        ...profiling,
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: BenchMessage) => {
      this.received.push(message);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.child.on('exit', () => this.waiters.splice(0).forEach((wake) => wake()));
  }

  /** Sends `start` to the child. */
  start(): void {
    this.child.send({ kind: 'start' } satisfies BenchMessage);
  }

  /** Resolves with the first message of `kind`; rejects on failure, exit or timeout. */
  async waitFor(kind: 'ready' | 'done'): Promise<BenchMessage> {
    const deadline = Date.now() + CHILD_TIMEOUT_MS;
    for (;;) {
      const failed = this.received.find((message) => message.kind === 'failed');
      if (failed?.kind === 'failed') {
        throw new Error(`benchmark child failed: ${failed.error}`);
      }
      const index = this.received.findIndex((message) => message.kind === kind);
      if (index >= 0) {
        return this.received.splice(index, 1)[0];
      }
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`benchmark child ended or timed out before "${kind}"`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1_000);
      });
    }
  }

  /** Resolves when the child exited by itself, or after EXIT_GRACE_MS (then `stop` kills it). */
  async waitForExit(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, EXIT_GRACE_MS);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Kills the child if it is still running. */
  stop(): void {
    if (this.child.exitCode === null) {
      this.child.kill();
    }
  }
}
