import { CliError } from '../cli-error';
import type { CliContext } from './cli-context';

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Reads all of stdin as the password (for `--password-stdin`), without the final newline. */
export async function readPasswordFromStdin(context: CliContext): Promise<string> {
  let text = '';
  for await (const chunk of context.stdin) {
    text += chunk.toString();
  }
  return text.replace(/\r?\n$/, '');
}

/**
 * Prompts on the terminal and reads a password without echoing it.
 * @throws CliError USAGE when stdin is no terminal, ABORTED on Ctrl-C.
 */
export function promptPassword(context: CliContext, prompt: string): Promise<string> {
  const { stdin, stderr } = context;
  if (stdin.isTTY !== true || stdin.setRawMode === undefined) {
    return Promise.reject(
      new CliError('USAGE', 'No terminal to prompt for the password on: use --password-stdin'),
    );
  }
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let password = '';
    const finish = (error?: CliError): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      if (error) {
        reject(error);
      } else {
        resolve(password);
      }
    };
    const onData = (chunk: Buffer | string): void => {
      for (const character of chunk.toString()) {
        if (ENTER.has(character)) {
          finish();
          return;
        }
        if (character === CTRL_C) {
          finish(new CliError('ABORTED', 'Login aborted'));
          return;
        }
        password = BACKSPACE.has(character) ? password.slice(0, -1) : password + character;
      }
    };
    stdin.on('data', onData);
  });
}
