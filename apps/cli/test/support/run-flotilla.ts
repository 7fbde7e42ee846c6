import { Readable } from 'node:stream';
import { runCli, type CliContext } from '@flotilla/cli';

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `flotilla ARGS` in-process with captured output, HOME set to `home`, `input` as stdin. */
export async function runFlotilla(
  args: readonly string[],
  options: { home: string; input?: string; env?: Record<string, string> },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([Buffer.from(options.input ?? '')]),
    env: { HOME: options.home, PATH: process.env.PATH, LANG: 'C.UTF-8', ...options.env },
  };
  const code = await runCli(args, context);
  return { code, stdout, stderr };
}
