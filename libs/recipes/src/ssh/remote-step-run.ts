import type { Client } from 'ssh2';
import { DEFAULT_KILL_GRACE_MS, OUTPUT_DRAIN_GRACE_MS } from '../recipes.constants';
import { CappedOutput } from '../runner/capped-output';
import type { OutputStream, StepResult } from '../runner/step-result';
import { execRemote, type RemoteCommandResult } from './remote-command';
import type { RemoteStepWorkspace } from './remote-step-workspace';
import { quoteShellCommand, quoteShellWord } from './shell-quote';
import { REMOTE_PGID_FILE_NAME, REMOTE_WRAPPER_FILE_NAME } from './ssh.constants';

/** What `runRemoteStep` needs: the script (relative to the bundle) and the step's limits. */
export interface RemoteStepRun {
  readonly client: Client;
  readonly target: string;
  readonly workspace: RemoteStepWorkspace;
  readonly scriptInBundle: string;
  readonly timeoutMs: number;
  readonly outputCapBytes: number;
  readonly killGraceMs?: number;
  readonly signal?: AbortSignal;
  readonly onOutput: (chunk: string, stream: OutputStream) => void;
}

/**
 * Runs a step's script on the target through the fixed wrapper, streaming its output; on timeout
 * or abort the remote process group gets SIGTERM, then SIGKILL after the grace period.
 * @throws SshError SSH_CONNECTION_LOST when the connection drops before the step ends.
 */
export async function runRemoteStep(run: RemoteStepRun): Promise<StepResult> {
  const output = new CappedOutput(run.outputCapBytes);
  const startedAt = new Date();
  const stopper = new RemoteGroupStopper(run);
  const command = `exec ${quoteShellCommand(['/bin/sh', run.workspace.pathOf(REMOTE_WRAPPER_FILE_NAME), run.workspace.dir, run.scriptInBundle])}`;
  let result: RemoteCommandResult;
  try {
    result = await execRemote(run.client, command, {
      target: run.target,
      drainGraceMs: OUTPUT_DRAIN_GRACE_MS,
      onOutput: (chunk, stream) => {
        output.append(chunk);
        run.onOutput(chunk.toString('utf8'), stream);
      },
    });
  } finally {
    stopper.disarm();
  }
  return {
    exitCode: result.exitCode,
    signal: toNodeSignal(result.signal),
    timedOut: stopper.reason === 'timeout',
    aborted: stopper.reason === 'abort',
    output: output.snapshot(),
    startedAt,
    endedAt: new Date(),
  };
}

/** Stops the remote process group once, on the step's deadline or its abort signal. */
class RemoteGroupStopper {
  reason: 'timeout' | 'abort' | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly onAbort = (): void => this.stop('abort');

  constructor(private readonly run: RemoteStepRun) {
    this.timers.push(setTimeout(() => this.stop('timeout'), run.timeoutMs));
    run.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (run.signal?.aborted) {
      this.stop('abort');
    }
  }

  disarm(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.run.signal?.removeEventListener('abort', this.onAbort);
  }

  private stop(reason: 'timeout' | 'abort'): void {
    if (this.reason !== undefined) {
      return;
    }
    this.reason = reason;
    this.kill('TERM');
    const grace = setTimeout(
      () => this.kill('KILL'),
      this.run.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    );
    this.timers.push(grace);
  }

  private kill(signal: 'TERM' | 'KILL'): void {
    const pgidFile = quoteShellWord(this.run.workspace.pathOf(REMOTE_PGID_FILE_NAME));
    // Fixed text around a quoted path: kill the whole group whose id the wrapper recorded.
    const line = `pgid=$(cat ${pgidFile}) && kill -s ${signal} -- "-$pgid"`;
    // A failure here means the group is already gone (or the connection, which ends it too).
    execRemote(this.run.client, line, { target: this.run.target }).catch(() => undefined);
  }
}

function toNodeSignal(signal: string | null): NodeJS.Signals | null {
  if (signal === null) {
    return null;
  }
  return (signal.startsWith('SIG') ? signal : `SIG${signal}`) as NodeJS.Signals;
}
