import type { Client, ClientChannel } from 'ssh2';
import type { OutputStream } from '../runner/step-result';
import { SshError } from './ssh.errors';

/** How a remote command ended and what it printed. */
export interface RemoteCommandResult {
  /** The exit status, or null when a signal ended the command. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of `execRemote`. */
export interface ExecRemoteOptions {
  /** Written to the command's stdin, which is then closed; by default stdin is closed at once. */
  readonly input?: string | Buffer;
  /** Receives output as it arrives; when given, the result carries no stdout/stderr text. */
  readonly onOutput?: (chunk: Buffer, stream: OutputStream) => void;
  /** Called with the open channel (to keep writing to stdin). */
  readonly onChannel?: (channel: ClientChannel) => void;
  /** Keeps stdin open after `input` (the caller ends it through `onChannel`). */
  readonly keepStdinOpen?: boolean;
  /**
   * After the exit status arrives, wait at most this long for the output to end, then close
   * the channel (a daemon the command started may hold its output open forever).
   */
  readonly drainGraceMs?: number;
  /** Names the target in errors. */
  readonly target: string;
}

/**
 * Runs one command line on a new channel of `client`. The command line must be built with
 * `quoteShellCommand`: SSH carries a string that the remote login shell parses.
 * @throws SshError SSH_CONNECTION_LOST when the channel cannot open or closes without an exit status.
 */
export function execRemote(
  client: Client,
  command: string,
  options: ExecRemoteOptions,
): Promise<RemoteCommandResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) {
        reject(lost(options.target, command, `cannot open a channel: ${error.message}`, error));
        return;
      }
      collect(channel, options, command, resolve, reject);
    });
  });
}

function collect(
  channel: ClientChannel,
  options: ExecRemoteOptions,
  command: string,
  resolve: (result: RemoteCommandResult) => void,
  reject: (error: Error) => void,
): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let exit: { code: number | null; signal: string | null } | undefined;
  const onOutput =
    options.onOutput ??
    ((chunk: Buffer, stream: OutputStream) => (stream === 'stdout' ? out : err).push(chunk));
  channel.on('data', (chunk: Buffer) => onOutput(chunk, 'stdout'));
  channel.stderr.on('data', (chunk: Buffer) => onOutput(chunk, 'stderr'));
  channel.on('exit', (code: number | null, signal?: string) => {
    exit = { code: code ?? null, signal: signal ?? null };
    if (options.drainGraceMs !== undefined) {
      setTimeout(() => channel.close(), options.drainGraceMs).unref();
    }
  });
  channel.on('close', () => {
    if (!exit) {
      reject(lost(options.target, command, 'the channel closed without an exit status'));
      return;
    }
    resolve({
      exitCode: exit.code,
      signal: exit.signal,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    });
  });
  feedInput(channel, options);
}

function feedInput(channel: ClientChannel, options: ExecRemoteOptions): void {
  if (options.input !== undefined) {
    channel.write(options.input);
  }
  if (!options.keepStdinOpen) {
    channel.end();
  }
  options.onChannel?.(channel);
}

/**
 * Runs a command and returns its stdout.
 * @throws SshError SSH_COMMAND_FAILED (with its stderr) unless it exits 0.
 */
export async function execRemoteChecked(
  client: Client,
  command: string,
  options: ExecRemoteOptions,
): Promise<string> {
  const result = await execRemote(client, command, options);
  if (result.exitCode !== 0) {
    const end = result.signal ?? `exit ${String(result.exitCode)}`;
    throw new SshError(
      'SSH_COMMAND_FAILED',
      `Command "${command}" on ${options.target} failed (${end}): ${result.stderr.trim()}`,
      { target: options.target, command },
    );
  }
  return result.stdout;
}

function lost(target: string, command: string, problem: string, cause?: unknown): SshError {
  return new SshError(
    'SSH_CONNECTION_LOST',
    `Lost the SSH connection to ${target} while running "${command}": ${problem}`,
    { target, command },
    { cause },
  );
}
