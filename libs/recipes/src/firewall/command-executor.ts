import { spawn } from 'node:child_process';
import { RecipeError } from '../errors';

/** What a finished command printed and how it ended. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
}

/** Runs firewall commands (`nft`, `iptables`): an argument array, never a shell. */
export interface CommandExecutor {
  /**
   * Runs `command args` with no stdin.
   * @throws RecipeError FIREWALL_COMMAND_FAILED on a non-zero exit unless `allowFailure`.
   */
  run(
    command: string,
    args: readonly string[],
    options?: { allowFailure?: boolean },
  ): Promise<CommandResult>;
}

/**
 * A command executor that runs commands directly, or behind `prefix` (for example
 * `['ip', 'netns', 'exec', 'flt-1-a']`, so tests change the firewall of their own namespace only).
 */
export function createCommandExecutor(prefix: readonly string[] = []): CommandExecutor {
  return {
    run: (command, args, options = {}) => {
      const [file, ...fileArgs] = [...prefix, command, ...args];
      const commandLine = [command, ...args].join(' ');
      return new Promise((resolve, reject) => {
        const child = spawn(file, fileArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        child.on('error', (error) =>
          reject(failure(commandLine, `cannot start: ${error.message}`, error)),
        );
        child.on('close', (exitCode) => {
          const result = {
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
            exitCode,
          };
          if (exitCode !== 0 && !options.allowFailure) {
            reject(
              failure(commandLine, `exited with ${String(exitCode)}: ${result.stderr.trim()}`),
            );
          } else {
            resolve(result);
          }
        });
      });
    },
  };
}

function failure(commandLine: string, problem: string, cause?: unknown): RecipeError {
  return new RecipeError(
    'FIREWALL_COMMAND_FAILED',
    `Firewall command "${commandLine}" ${problem}`,
    { command: commandLine },
    { cause },
  );
}
