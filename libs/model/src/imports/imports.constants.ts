/** The lowest port `random[port]` exports get (Roboconf's range). */
export const RANDOM_PORT_MIN = 10000;

/** The highest port `random[port]` exports get (Roboconf's range). */
export const RANDOM_PORT_MAX = 65500;

/** Ports never given to `random[port]` exports (Roboconf reserves 35197). */
export const RANDOM_PORT_RESERVED: readonly number[] = [35197];
