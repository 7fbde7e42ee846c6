import type { CliOutput } from '../config/cli-context';

/** Writes a script's output with every line prefixed by `  | `, whatever the chunk boundaries. */
export class QuotedOutput {
  private isAtLineStart = true;

  constructor(private readonly output: CliOutput) {}

  /** Writes one chunk as it arrives. */
  write(chunk: string): void {
    if (chunk === '') {
      return;
    }
    const text = chunk.replace(/\n(?=[^])/g, '\n  | ');
    this.output.write(`${this.isAtLineStart ? '  | ' : ''}${text}`);
    this.isAtLineStart = chunk.endsWith('\n');
  }

  /** Ends a last line that had no newline, so that what follows starts on its own line. */
  end(): void {
    if (!this.isAtLineStart) {
      this.output.write('\n');
      this.isAtLineStart = true;
    }
  }
}
