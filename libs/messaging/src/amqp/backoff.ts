import {
  DEFAULT_RECONNECT_FACTOR,
  DEFAULT_RECONNECT_INITIAL_DELAY_MS,
  DEFAULT_RECONNECT_JITTER,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
} from './amqp.constants';

/** The shape of an exponential backoff with jitter; every field has a default in amqp.constants.ts. */
export interface BackoffOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly factor?: number;
  readonly jitter?: number;
}

/**
 * The delay before attempt `attempt` (1-based): exponential, capped, then randomised by `jitter`
 * downwards only, so that many clients dropped by one broker restart do not reconnect in lockstep
 * and the cap is never exceeded.
 */
export function computeBackoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? DEFAULT_RECONNECT_INITIAL_DELAY_MS;
  const max = options.maxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS;
  const factor = options.factor ?? DEFAULT_RECONNECT_FACTOR;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_RECONNECT_JITTER));
  const exponential = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - jitter * random()));
}
