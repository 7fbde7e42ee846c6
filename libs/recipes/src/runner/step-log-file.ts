import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StepResult } from './step-result';

/**
 * The copy of a step's output the agent keeps on disk: a header, the first `capBytes` of output
 * (the in-memory capture keeps the last ones), a truncation marker, and a footer with the end.
 */
export class StepLogFile {
  private written = 0;
  private isTruncated = false;

  private constructor(
    private readonly stream: WriteStream,
    private readonly capBytes: number,
  ) {}

  /** Opens (appending, 0600) the log file and writes the step's header line. */
  static async open(path: string, capBytes: number, header: string): Promise<StepLogFile> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    await once(stream, 'open');
    stream.write(`=== ${new Date().toISOString()} ${header}\n`);
    return new StepLogFile(stream, capBytes);
  }

  /** Appends a chunk of output while under the cap, then a single truncation marker. */
  append(chunk: string): void {
    const bytes = Buffer.from(chunk, 'utf8');
    const room = this.capBytes - this.written;
    if (room > 0) {
      this.stream.write(bytes.subarray(0, room));
      this.written += Math.min(room, bytes.length);
    }
    if (bytes.length > room && !this.isTruncated) {
      this.isTruncated = true;
      this.stream.write(`\n[output truncated after ${this.capBytes} bytes]\n`);
    }
  }

  /** Writes how the step ended and closes the file. */
  async close(result: StepResult | undefined, status: string): Promise<void> {
    const end = result
      ? `exit code ${String(result.exitCode)}, signal ${String(result.signal)}`
      : 'no result';
    this.stream.end(`\n=== ${new Date().toISOString()} ${status} (${end})\n`);
    await once(this.stream, 'close');
  }
}
