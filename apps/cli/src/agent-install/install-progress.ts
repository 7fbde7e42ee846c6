import type { CliOutput } from '../config/cli-context';

/** Prints numbered install steps: the title when a step starts, its outcome when it ends. */
export class InstallProgress {
  private step = 0;

  constructor(
    private readonly output: CliOutput,
    private readonly stepCount: number,
  ) {}

  /**
   * Runs one step under `title`; prints `done` (or what `describe` says of its result), or
   * `failed` before rethrowing.
   */
  async run<T>(
    title: string,
    work: () => Promise<T>,
    describe?: (result: T) => string,
  ): Promise<T> {
    this.step += 1;
    this.output.write(`[${this.step}/${this.stepCount}] ${title}... `);
    try {
      const result = await work();
      this.output.write(`${describe ? describe(result) : 'done'}\n`);
      return result;
    } catch (error: unknown) {
      this.output.write('failed\n');
      throw error;
    }
  }
}
