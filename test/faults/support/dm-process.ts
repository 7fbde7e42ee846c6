import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../..');
/** `flotilla` from source: the CLI's entry, run by ts-node (no build needed). */
const CLI_ENTRY = resolve(REPO_ROOT, 'apps/cli/src/main.ts');
const LISTENING_BANNER = 'Flotilla DM listening on';
const START_TIMEOUT_MS = 120_000;
const STOP_KILL_AFTER_MS = 15_000;
const KIB = 1024;

/**
 * A real DM process (`flotilla dm`, from source) on a fixed loopback port: the fault scenarios
 * kill it with SIGKILL, restart it on the same database, and read its memory from /proc.
 */
export class DmProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    /** The DM's base URL (`http://127.0.0.1:<port>`). */
    readonly url: string,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    }
  }

  /** Starts `flotilla dm` with these `FLOTILLA_*` variables; resolves once it listens. */
  static async start(
    variables: Readonly<Record<string, string>>,
    port?: number,
  ): Promise<DmProcess> {
    const listenPort = port ?? (await freeLoopbackPort());
    const node = [
      '--conditions=flotilla-source',
      '--no-warnings=ExperimentalWarning',
      '-r',
      'ts-node/register/transpile-only',
    ];
    const child = spawn(
      process.execPath,
      [...node, CLI_ENTRY, 'dm', '--host', '127.0.0.1', '--port', String(listenPort)],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...variables },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const dm = new DmProcess(child, `http://127.0.0.1:${listenPort}`);
    await dm.waitForOutput(LISTENING_BANNER, START_TIMEOUT_MS);
    return dm;
  }

  /** The TCP port it listens on (kept across restarts, so that clients keep their URL). */
  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** What it printed so far. */
  get log(): string {
    return this.output;
  }

  /** Its process id. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Its resident set size in bytes, read from /proc (VmRSS). */
  async residentBytes(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    if (kib === undefined) {
      throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    }
    return Number(kib) * KIB;
  }

  /** SIGKILL: the DM dies at once, with no shutdown hook run. */
  async kill(): Promise<void> {
    if (this.hasExited()) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.hasExited()) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_KILL_AFTER_MS);
    await exited;
    clearTimeout(killer);
  }

  private hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  private async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (!this.output.includes(text)) {
      if (this.hasExited()) {
        throw new Error(`the DM exited before "${text}":\n${this.output}`);
      }
      if (deadline.aborted) {
        throw new Error(`the DM did not print "${text}" within ${timeoutMs} ms:\n${this.output}`);
      }
      await Promise.race([
        once(this.child.stdout!, 'data'),
        once(this.child, 'exit'),
        once(deadline, 'abort'),
      ]);
    }
  }
}

/** A loopback TCP port free right now (the DM binds it a moment later). */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') {
    throw new Error('no loopback port could be reserved');
  }
  return address.port;
}
