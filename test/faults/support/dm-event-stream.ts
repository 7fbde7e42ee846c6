import { EventEmitter, once } from 'node:events';

/** One event of the DM's `/api/events` stream (its JSON `data`). */
export type DmEvent = Readonly<Record<string, unknown>> & { readonly type: string };

/**
 * Follows the DM's `/api/events` server-sent events; `next()` resolves at the next event, so that
 * waiters re-read the API when something changed instead of sleeping. Reconnects when the DM goes
 * away (it is killed and restarted in the fault scenarios).
 */
export class DmEventStream {
  private readonly emitter = new EventEmitter();
  private readonly abort = new AbortController();
  private readonly seen: DmEvent[] = [];

  constructor(
    private readonly url: string,
    private readonly token: () => string,
  ) {
    this.emitter.setMaxListeners(0);
    void this.follow();
  }

  /** Every event received so far, oldest first. */
  get events(): readonly DmEvent[] {
    return this.seen;
  }

  /** Resolves at the next event, or after `timeoutMs` (the caller then reads the API anyway). */
  async next(timeoutMs: number): Promise<void> {
    await Promise.race([
      once(this.emitter, 'event'),
      once(AbortSignal.timeout(timeoutMs), 'abort'),
      once(this.abort.signal, 'abort'),
    ]);
  }

  /**
   * Resolves with the first event from index `from` of `events` on (received or to come) that
   * `matches`.
   * @throws Error naming `what` when none comes within `timeoutMs`.
   */
  async waitFor(
    what: string,
    matches: (event: DmEvent) => boolean,
    timeoutMs: number,
    from = 0,
  ): Promise<DmEvent> {
    const deadline = AbortSignal.timeout(timeoutMs);
    let index = from;
    for (;;) {
      while (index < this.seen.length) {
        const event = this.seen[index++];
        if (matches(event)) {
          return event;
        }
      }
      if (deadline.aborted) {
        throw new Error(`no DM event ${what} within ${timeoutMs} ms`);
      }
      await Promise.race([once(this.emitter, 'event'), once(deadline, 'abort')]);
    }
  }

  /** Stops following. */
  close(): void {
    this.abort.abort();
  }

  private async follow(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.read();
      } catch {
        // The DM is down or restarting: try again after a moment, until closed.
      }
      await Promise.race([
        once(AbortSignal.timeout(RECONNECT_DELAY_MS), 'abort'),
        once(this.abort.signal, 'abort'),
      ]);
    }
  }

  private async read(): Promise<void> {
    const response = await fetch(`${this.url}/api/events`, {
      headers: { Authorization: `Bearer ${this.token()}`, Accept: 'text/event-stream' },
      signal: this.abort.signal,
    });
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) {
        return;
      }
      buffer += chunk.value;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      blocks.forEach((block) => this.receive(block));
    }
  }

  private receive(block: string): void {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice('data:'.length).trim())
      .join('\n');
    if (data === '') {
      return;
    }
    this.seen.push(JSON.parse(data) as DmEvent);
    this.emitter.emit('event');
  }
}

/** How long the stream waits before connecting again to a DM that went away. */
const RECONNECT_DELAY_MS = 500;
