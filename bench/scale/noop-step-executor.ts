import type { StepExecutor } from '@flotilla/agent';

type Request = Parameters<StepExecutor['execute']>[0];
type Outcome = Awaited<ReturnType<StepExecutor['execute']>>;

/**
 * The no-op recipe: every step succeeds at once without spawning anything (exit 0, no output), so
 * that the benchmark measures the DM, the broker and the agent's messaging, not shell start-up.
 */
export class NoopStepExecutor implements StepExecutor {
  private count = 0;

  /** Steps run so far. */
  get executed(): number {
    return this.count;
  }

  execute(request: Request): Promise<Outcome> {
    this.count += 1;
    const now = new Date();
    return Promise.resolve({
      step: request.step,
      status: 'succeeded',
      result: {
        exitCode: 0,
        signal: null,
        timedOut: false,
        aborted: false,
        output: { text: '', truncated: false, totalBytes: 0 },
        startedAt: now,
        endedAt: now,
      },
      logTail: '',
    });
  }
}
