/** Source of the current time in milliseconds since the epoch, injectable for tests. */
export interface Clock {
  /** Returns the current time in milliseconds since the epoch. */
  now(): number;
}

/** Clock backed by `Date.now()`. */
export const SYSTEM_CLOCK: Clock = Object.freeze({ now: () => Date.now() });
