import type { DmApi, StreamedEvent } from './dm-api';

/** A percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** What a watch saw, all times in milliseconds from `performance.now()`. */
export interface WatchReport {
  /** When the last awaited instance reached the state. */
  readonly reachedAt: number;
  /** Commands the DM sent, and how long each took from `command.sent` to `command.finished`. */
  readonly commandsSent: number;
  readonly commandLatenciesMs: readonly number[];
}

/**
 * Follows the DM's event stream until every awaited instance path reached a state: counts
 * `instance.state` events per path and times each job from `command.sent` to `command.finished`.
 */
export class DeploymentWatch {
  private readonly sentAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private readonly reached = new Set<string>();
  private reachedAt = 0;
  private commandsSent = 0;
  private abort = new AbortController();
  private ended: Promise<void> | undefined;

  constructor(
    private readonly api: DmApi,
    private readonly paths: ReadonlySet<string>,
    private readonly state: string,
  ) {}

  /** Opens the stream (resolves once the DM will send new events to it). */
  async open(): Promise<void> {
    const { ended } = await this.api.follow(
      (event, receivedAt) => this.onEvent(event, receivedAt),
      this.abort.signal,
    );
    this.ended = ended;
  }

  /**
   * Resolves once every path reached the state.
   * @throws Error naming how many are missing after `timeoutMs`.
   */
  async done(timeoutMs: number): Promise<WatchReport> {
    const timer = setTimeout(() => this.abort.abort(), timeoutMs);
    try {
      await this.ended?.catch((error: unknown) => {
        if (!this.abort.signal.aborted) {
          throw error;
        }
      });
    } finally {
      clearTimeout(timer);
    }
    if (this.reached.size < this.paths.size) {
      throw new Error(
        `${this.paths.size - this.reached.size} of ${this.paths.size} instances not ${this.state} within ${timeoutMs} ms`,
      );
    }
    return {
      reachedAt: this.reachedAt,
      commandsSent: this.commandsSent,
      commandLatenciesMs: [...this.latencies].sort((a, b) => a - b),
    };
  }

  /** Forgets what was seen, for another round on the same stream. */
  reset(): void {
    this.reached.clear();
    this.sentAt.clear();
    this.latencies.length = 0;
    this.commandsSent = 0;
  }

  /** Stops following. */
  close(): void {
    this.abort.abort();
  }

  private onEvent(event: StreamedEvent, receivedAt: number): boolean {
    if (event.type === 'command.sent' && event.jobId !== undefined) {
      this.commandsSent += 1;
      this.sentAt.set(event.jobId, receivedAt);
    } else if (event.type === 'command.finished' && event.jobId !== undefined) {
      const sent = this.sentAt.get(event.jobId);
      if (sent !== undefined) {
        this.latencies.push(receivedAt - sent);
      }
    } else if (event.type === 'instance.state' && event.path !== undefined) {
      if (event.to === this.state && this.paths.has(event.path)) {
        this.reached.add(event.path);
        this.reachedAt = receivedAt;
      } else {
        this.reached.delete(event.path);
      }
    }
    return this.reached.size === this.paths.size;
  }
}
