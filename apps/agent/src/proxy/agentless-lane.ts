/**
 * Where a proxy runs agentless steps: beside the agent's queue (whose prefetch of one keeps
 * commands in order), up to `concurrency` at once. A step waits here only for a free slot, so a
 * slow or unreachable target holds at most its own slot, never the agent's local steps; when
 * every slot is busy the queue waits (back-pressure instead of an unbounded backlog).
 */
export class AgentlessLane {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly concurrency: number) {}

  /** How many agentless steps run now. */
  get size(): number {
    return this.running.size;
  }

  /** Starts `job` once a slot is free; resolves when it started. `job` must handle its errors. */
  async submit(job: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.concurrency) {
      await Promise.race(this.running);
    }
    const run: Promise<void> = job().finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once every started job ended (at agent stop, after their signal was aborted). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
