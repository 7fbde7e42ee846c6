import { terminateProcessGroup } from './process-group';

/**
 * Watches a running step's process group: at its timeout, or when the caller's AbortSignal fires,
 * stops the whole group (SIGTERM, then SIGKILL after the grace period) and remembers why.
 */
export class StepDeadline {
  timedOut = false;
  aborted = false;
  private stopping: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (): void => {
    this.aborted = true;
    this.stopGroup();
  };

  constructor(
    private readonly pgid: number,
    timeoutMs: number,
    private readonly killGraceMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.stopGroup();
    }, timeoutMs);
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) {
      this.onAbort();
    }
  }

  /** Disarms the deadline once the script has exited, and waits for a stop already under way. */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    await this.stopping;
  }

  private stopGroup(): void {
    this.stopping ??= terminateProcessGroup(this.pgid, this.killGraceMs);
  }
}
