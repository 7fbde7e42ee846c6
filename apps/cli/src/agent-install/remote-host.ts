import type { Client } from 'ssh2';
import { execRemote, quoteShellWord, type RemoteCommandResult } from '@flotilla/recipes';
import { CliError } from '../cli-error';

/** After a script exits, how long its output may stay open (a started daemon keeps no stream). */
const DRAIN_GRACE_MS = 2_000;

/**
 * The install target over one SSH connection: runs POSIX shell scripts there, through
 * `sudo -n` when asked, with positional arguments quoted so no value is ever parsed as code.
 */
export class RemoteHost {
  constructor(
    private readonly client: Client,
    /** `user@host:port`, for messages. */
    readonly label: string,
    private readonly useSudo: boolean,
  ) {}

  /** Runs `script` with `args` as $1..$n and resolves with how it ended, whatever its status. */
  run(script: string, args: readonly string[] = [], input?: Buffer | string) {
    const words = ['sh', '-c', script, 'flotilla-install', ...args].map(quoteShellWord);
    const command = [...(this.useSudo ? ['sudo', '-n'] : []), ...words].join(' ');
    return execRemote(this.client, command, {
      target: this.label,
      drainGraceMs: DRAIN_GRACE_MS,
      ...(input === undefined ? {} : { input }),
    });
  }

  /**
   * Runs `script` and returns its stdout.
   * @throws CliError INSTALL_FAILED with what `what` was and the script's stderr, unless it exits 0.
   */
  async runChecked(
    what: string,
    script: string,
    args: readonly string[] = [],
    input?: Buffer | string,
  ): Promise<string> {
    const result: RemoteCommandResult = await this.run(script, args, input);
    if (result.exitCode !== 0) {
      const end = result.signal ?? `exit ${String(result.exitCode)}`;
      const sudoHint =
        this.useSudo && result.stderr.includes('sudo:')
          ? ' (sudo must run without a password: NOPASSWD for this user)'
          : '';
      throw new CliError(
        'INSTALL_FAILED',
        `${what} failed on ${this.label} (${end}): ${result.stderr.trim() || result.stdout.trim()}${sudoHint}`,
      );
    }
    return result.stdout;
  }

  /** Closes the SSH connection. */
  close(): void {
    this.client.end();
  }
}
