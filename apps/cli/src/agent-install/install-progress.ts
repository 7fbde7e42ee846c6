import type { CliOutput } from '../config/cli-context';

const MS_PER_SECOND = 1000;

/** Prints numbered install steps: the title when a step starts, its outcome when it ends. */
export class InstallProgress {
  private step = 0;

  constructor(
    private readonly output: CliOutput,
    private readonly stepCount: number,
  ) {}

  /**
   * Runs one step under `title`; prints `done` (or what `describe` says of its result) and how
   * long it took, or `failed` before rethrowing.
   */
  async run<T>(
    title: string,
    work: () => Promise<T>,
    describe?: (result: T) => string,
  ): Promise<T> {
    this.step += 1;
    this.output.write(`[${this.step}/${this.stepCount}] ${title}... `);
    const startedAt = performance.now();
    try {
      const result = await work();
      const seconds = ((performance.now() - startedAt) / MS_PER_SECOND).toFixed(1);
      this.output.write(`${describe ? describe(result) : 'done'} (${seconds} s)\n`);
      return result;
    } catch (error: unknown) {
      this.output.write('failed\n');
      throw error;
    }
  }
}
