import { CliError } from '../cli-error';
import type { CliContext } from './cli-context';

/**
 * Asks a yes/no question on the terminal and resolves true only for "y" or "yes".
 * @throws CliError USAGE when stdin is no terminal (scripts must pass --yes instead).
 */
export function confirm(context: CliContext, question: string): Promise<boolean> {
  const { stdin, stderr } = context;
  if (stdin.isTTY !== true) {
    return Promise.reject(
      new CliError('USAGE', `${question.trim()} needs a terminal to answer on: pass --yes`),
    );
  }
  stderr.write(`${question} [y/N] `);
  stdin.resume();
  return new Promise((resolve) => {
    let line = '';
    const onData = (chunk: Buffer | string): void => {
      line += chunk.toString();
      if (line.includes('\n')) {
        stdin.off('data', onData);
        stdin.pause();
        resolve(/^y(es)?$/i.test(line.split('\n')[0]?.trim() ?? ''));
      }
    };
    stdin.on('data', onData);
  });
}
