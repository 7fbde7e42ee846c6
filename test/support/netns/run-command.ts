import { execFile } from 'node:child_process';

/** What a finished command printed and its exit code. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs a command (no shell) and resolves with its output whatever its exit code. */
export function runCommand(command: string, args: readonly string[]): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`Cannot run ${command} ${args.join(' ')}: ${error.message}`));
        return;
      }
      resolve({ stdout, stderr, exitCode: typeof error?.code === 'number' ? error.code : 0 });
    });
  });
}

/** Runs a command and throws, naming the command and its stderr, unless it exits 0. */
export async function runChecked(command: string, args: readonly string[]): Promise<string> {
  const output = await runCommand(command, args);
  if (output.exitCode !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${output.exitCode}: ${output.stderr.trim()}`,
    );
  }
  return output.stdout;
}
