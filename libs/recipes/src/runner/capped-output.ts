import type { CapturedOutput } from './step-result';

/** A byte buffer that keeps only the most recent `capBytes` of what is appended. */
export class CappedOutput {
  private chunks: Buffer[] = [];
  private keptBytes = 0;
  private totalBytes = 0;

  constructor(private readonly capBytes: number) {}

  /** Appends a chunk, dropping the oldest bytes beyond the cap. */
  append(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    this.chunks.push(chunk);
    this.keptBytes += chunk.length;
    while (this.keptBytes > this.capBytes && this.chunks.length > 0) {
      const first = this.chunks[0];
      const excess = this.keptBytes - this.capBytes;
      if (first.length <= excess) {
        this.chunks.shift();
        this.keptBytes -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.keptBytes -= excess;
      }
    }
  }

  /** The kept output as text, with the truncation flag and the total size. */
  snapshot(): CapturedOutput {
    return {
      text: Buffer.concat(this.chunks).toString('utf8'),
      truncated: this.totalBytes > this.keptBytes,
      totalBytes: this.totalBytes,
    };
  }
}
