import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestHost } from '../../support/netns';

const REPO_ROOT = resolve(__dirname, '../../..');
/** `flotilla agent` from source: the agent app's bootstrap, run by ts-node (no build needed). */
const AGENT_ENTRY = resolve(REPO_ROOT, 'apps/agent/src/main.ts');
const STOP_KILL_AFTER_MS = 15_000;

/**
 * A real agent process in a test host (`ip netns exec` replaces itself with node, so the child's
 * pid is the agent's): stopped gracefully at the end, or killed with SIGKILL by a scenario.
 */
export class AgentProcess {
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    }
  }

  /** Launches the agent inside `host` with these `FLOTILLA_*` variables. */
  static launch(host: TestHost, variables: Readonly<Record<string, string>>): AgentProcess {
    const node = [
      '--conditions=flotilla-source',
      '--no-warnings=ExperimentalWarning',
      '-r',
      'ts-node/register/transpile-only',
    ];
    return new AgentProcess(
      host.spawn(process.execPath, [...node, AGENT_ENTRY], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...variables },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  /** What the agent printed so far. */
  get log(): string {
    return this.output;
  }

  /** SIGKILL: the agent dies at once, in the middle of whatever it was doing. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_KILL_AFTER_MS);
    await this.signal('SIGTERM');
    clearTimeout(killer);
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }
}
