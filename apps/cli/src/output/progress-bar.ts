import { PROGRESS_BAR_WIDTH } from '../cli.constants';
import type { CliOutput } from '../config/cli-context';

/**
 * A progress bar of instances reaching a target state: on a terminal it redraws one line; on
 * anything else it prints a plain line each time the count or the label changes.
 */
export class ProgressBar {
  private lastLine = '';
  private isDrawn = false;

  constructor(
    private readonly output: CliOutput,
    private readonly total: number,
  ) {}

  /** Shows `done` of the total, with a label such as the instance that last changed. */
  update(done: number, label: string): void {
    const ratio = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const filled = Math.round(ratio * PROGRESS_BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(PROGRESS_BAR_WIDTH - filled)}]`;
    const line = `${bar} ${done}/${this.total} ${label}`;
    if (line === this.lastLine) {
      return;
    }
    this.lastLine = line;
    if (this.output.isTTY === true) {
      this.output.write(`\r\x1b[2K${line}`);
      this.isDrawn = true;
    } else {
      this.output.write(`${line}\n`);
    }
  }

  /** Ends the redrawn line so that what follows starts on its own line. */
  finish(): void {
    if (this.isDrawn) {
      this.output.write('\n');
      this.isDrawn = false;
    }
  }
}
