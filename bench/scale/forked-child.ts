import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** How long a child may take to stop after `stop` before it is killed. */
const STOP_GRACE_MS = 30_000;

/** Messages every benchmark child sends besides its own. */
export type ChildFailure = { readonly kind: 'failed'; readonly error: string };

/**
 * A TypeScript entry forked with the source condition (ts-node), talking over IPC: messages are
 * awaited by predicate with a timeout; a `failed` message or an early exit rejects every wait.
 */
export class ForkedChild<M extends { readonly kind: string }> {
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(message: M | ChildFailure | undefined) => void>();
  private failure: string | undefined;

  /** `nodeOptions`: more node flags, such as `--cpu-prof`. */
  constructor(
    entry: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
    nodeOptions: readonly string[] = [],
  ) {
    this.child = fork(entry, [...args], {
      execArgv: [
        '--conditions=flotilla-source',
        '-r',
        'ts-node/register/transpile-only',
        ...nodeOptions,
      ],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: M | ChildFailure) => {
      if (message.kind === 'failed') {
        this.failure = (message as ChildFailure).error;
      }
      this.listeners.forEach((listener) => listener(message));
    });
    this.child.on('exit', (code, signal) => {
      this.failure ??= `exited (code ${code}, signal ${signal}) unexpectedly`;
      this.listeners.forEach((listener) => listener(undefined));
    });
  }

  /** The child's process id. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Calls `onMessage` for each message until it returns true; rejects on failure or timeout. */
  until(onMessage: (message: M) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => settle(new Error(`${what}: no answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (error === undefined) {
          resolve();
        } else {
          reject(error);
        }
      };
      const listener = (message: M | ChildFailure | undefined): void => {
        if (this.failure !== undefined) {
          settle(new Error(`${what}: child ${this.pid} ${this.failure}`));
        } else if (message !== undefined && onMessage(message as M)) {
          settle();
        }
      };
      this.listeners.add(listener);
      if (this.failure !== undefined) {
        listener(undefined);
      }
    });
  }

  /** Sends a message to the child. */
  send(message: { readonly kind: string }): void {
    this.child.send(message);
  }

  /** Asks the child to stop (`{kind: 'stop'}`), kills it after a grace period; resolves on exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    this.failure ??= 'stopped';
    const exited = once(this.child, 'exit');
    if (this.child.connected) {
      this.child.send({ kind: 'stop' });
    } else {
      this.child.kill('SIGTERM');
    }
    const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(killer);
  }
}
