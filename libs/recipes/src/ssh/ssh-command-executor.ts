import { RecipeError } from '../errors';
import type { CommandExecutor, CommandResult } from '../firewall/command-executor';
import { execRemote } from './remote-command';
import { quoteShellCommand } from './shell-quote';
import type { SshConnectionPool } from './ssh-connection-pool';
import { formatSshTarget, type SshTarget } from './ssh-target';

/**
 * Runs firewall commands on an agentless target over its pooled SSH connection, behind
 * `sudo -n` when the target says so (never prompting: a missing sudo rule fails at once).
 */
export class SshCommandExecutor implements CommandExecutor {
  constructor(
    private readonly pool: SshConnectionPool,
    private readonly target: SshTarget,
  ) {}

  /** @throws RecipeError FIREWALL_COMMAND_FAILED on a non-zero exit unless `allowFailure`. */
  run(
    command: string,
    args: readonly string[],
    options: { allowFailure?: boolean; input?: string } = {},
  ): Promise<CommandResult> {
    const words = [...(this.target.useSudo ? ['sudo', '-n'] : []), command, ...args];
    return this.runLine(quoteShellCommand(words), options);
  }

  /**
   * Runs `command args <file>` where the file holds `input`: a private temporary file on the
   * target (nft cannot read a batch from the socket sshd may give as stdin).
   * @throws RecipeError FIREWALL_COMMAND_FAILED on a non-zero exit.
   */
  runWithInputFile(
    command: string,
    args: readonly string[],
    input: string,
  ): Promise<CommandResult> {
    const words = [...(this.target.useSudo ? ['sudo', '-n'] : []), command, ...args];
    // Fixed text around quoted words: the file name comes from mktemp on the target.
    const line = `f=$(umask 077 && mktemp) || exit 1; cat > "$f"; ${quoteShellCommand(words)} "$f"; rc=$?; rm -f "$f"; exit $rc`;
    return this.runLine(line, { input });
  }

  private async runLine(
    line: string,
    options: { allowFailure?: boolean; input?: string },
  ): Promise<CommandResult> {
    const label = formatSshTarget(this.target);
    const result = await this.pool.use(this.target, (client) =>
      execRemote(client, line, { target: label, input: options.input }),
    );
    if (result.exitCode !== 0 && !options.allowFailure) {
      throw new RecipeError(
        'FIREWALL_COMMAND_FAILED',
        `Firewall command "${line}" on ${label} exited with ${String(result.exitCode ?? result.signal)}: ${result.stderr.trim()}`,
        { command: line },
      );
    }
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  }
}
