import { SshError } from './ssh.errors';

const SAFE_WORD = /^[A-Za-z0-9_./:=@%+-]+$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Quotes one word for a POSIX shell so that it is read back byte for byte: single quotes, with
 * each embedded quote closed, escaped and reopened. SSH only carries a command line, so every
 * variable part of a remote command goes through here.
 */
export function quoteShellWord(word: string): string {
  if (word.includes('\0')) {
    throw new SshError(
      'SSH_COMMAND_FAILED',
      `A shell word cannot contain a NUL byte: ${JSON.stringify(word)}`,
    );
  }
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each word and joins them with spaces: a command line read back as exactly these words. */
export function quoteShellCommand(words: readonly string[]): string {
  return words.map(quoteShellWord).join(' ');
}

/**
 * Renders an environment as a file a POSIX shell sources (`export NAME='value'` lines).
 * @throws SshError SSH_COMMAND_FAILED when a name is not a shell variable name (it would not survive).
 */
export function renderEnvironmentFile(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (!VARIABLE_NAME.test(name)) {
        throw new SshError(
          'SSH_COMMAND_FAILED',
          `Step variable "${name}" cannot be passed over SSH: a name must match [A-Za-z_][A-Za-z0-9_]*`,
          { field: name },
        );
      }
      return `export ${name}=${quoteShellWord(value)}\n`;
    })
    .join('');
}
