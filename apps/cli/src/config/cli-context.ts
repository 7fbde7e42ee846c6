/** A stream the CLI writes to; `isTTY` decides colours and the redrawn progress bar. */
export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The input the CLI reads passwords from. */
export interface CliInput extends AsyncIterable<Buffer | string> {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * Everything a command touches outside itself: its streams and the environment, read once here
 * so that tests run the CLI in-process with captured output and a private HOME.
 */
export interface CliContext {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: CliInput;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The context of the real process: its streams and a frozen copy of its environment. */
export function processContext(): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: Object.freeze({ ...process.env }),
  };
}
