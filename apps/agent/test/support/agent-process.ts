import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestHost } from '../../../../test/support/netns';

/** The repository root (ts-node finds tsconfig.json there). */
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/** The agent's entry point, run from source with ts-node (no build needed). */
const AGENT_MAIN = join(REPO_ROOT, 'apps', 'agent', 'src', 'main.ts');

/** How long a clean stop may take before the test kills the agent. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * A real agent process inside a test host: `node --conditions=flotilla-source -r ts-node/register`
 * on apps/agent/src/main.ts with FLOTILLA_* variables; its output is kept for failure messages.
 */
export class AgentProcess {
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Starts an agent in `host` with the given FLOTILLA_* variables. */
  static start(host: TestHost, env: Readonly<Record<string, string>>): AgentProcess {
    const child = host.spawn(
      process.execPath,
      [
        '--conditions=flotilla-source',
        '--no-warnings=ExperimentalWarning',
        '-r',
        'ts-node/register/transpile-only',
        AGENT_MAIN,
      ],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new AgentProcess(child);
  }

  /** Everything the agent printed so far (JSON log lines). */
  get log(): string {
    return this.output;
  }

  /** The agent's process id (`ip netns exec` execs it, so it is the node process). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process is still running. */
  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends SIGTERM and waits for the exit; SIGKILL when it does not stop in time. */
  async stop(): Promise<number | null> {
    if (!this.isRunning) {
      return this.child.exitCode;
    }
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    return this.child.exitCode;
  }

  /** `kill -9`: the agent dies at once, whatever it was doing. */
  async crash(): Promise<void> {
    if (this.isRunning) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}
