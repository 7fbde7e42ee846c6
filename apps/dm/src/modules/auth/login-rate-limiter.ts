/** The length of the window in which login attempts are counted. */
const WINDOW_MS = 60_000;

/** The verdict on one login attempt. */
export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts login attempts per key (an IP address, a username) in a sliding window of one minute and
 * refuses the attempt that would exceed the limit on any of its keys. In memory: a restart resets
 * it, which costs an attacker nothing they could not get by waiting a minute.
 */
export class LoginRateLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limitPerWindow: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt under every key, unless one of them is over the limit. */
  attempt(keys: readonly string[]): RateLimitVerdict {
    const now = this.now();
    let retryAfterMs = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.limitPerWindow) {
        retryAfterMs = Math.max(retryAfterMs, recent[0] + WINDOW_MS - now);
      }
    }
    if (retryAfterMs > 0) {
      return { allowed: false, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
    }
    keys.forEach((key) => this.recent(key, now).push(now));
    return { allowed: true };
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.attempts.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
    this.attempts.set(key, kept);
    return kept;
  }
}
