/**
 * Something only the leading replica does (consume agents' reports, dispatch commands, sweep
 * heartbeats): started when this replica is elected, stopped when it steps down. Both calls may
 * come more than once and must be safe after the application closed.
 */
export interface LeaderDuty {
  /** Starts the duty; must not wait for an external service (the broker may be down). */
  startLeading(): void | Promise<void>;
  /** Stops the duty; resolves once nothing of it runs any more. */
  stopLeading(): void | Promise<void>;
}

/** Whether this replica leads (runs the reconciler's duties) or only serves the API. */
export type LeadershipRole = 'leader' | 'follower';
