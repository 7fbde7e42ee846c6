import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestHost } from '../../support/netns';

const REPO_ROOT = resolve(__dirname, '../../..');
/** `flotilla agent` from source: the agent app's bootstrap, run by ts-node (no build needed). */
const AGENT_ENTRY = resolve(REPO_ROOT, 'apps/agent/src/main.ts');
const KILL_AFTER_MS = 15_000;

/** A real agent process running in a test host; its output is kept for failure reports. */
export class LaunchedAgent {
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    }
  }

  /** Launches the agent inside `host` with these `FLOTILLA_*` variables. */
  static launch(host: TestHost, variables: Readonly<Record<string, string>>): LaunchedAgent {
    const node = [
      '--conditions=flotilla-source',
      '--no-warnings=ExperimentalWarning',
      '-r',
      'ts-node/register/transpile-only',
    ];
    const child = host.spawn(process.execPath, [...node, AGENT_ENTRY], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...variables },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new LaunchedAgent(child);
  }

  /** What the agent printed so far. */
  get log(): string {
    return this.output;
  }

  /** SIGKILL at once (a crash: no shutdown notice); resolves once it exited. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time; resolves once it exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS);
    await exited;
    clearTimeout(killer);
  }
}
