/** Nest token of the DM's signing identity (`Identity` of @flotilla/messaging). */
export const DM_IDENTITY = Symbol('DM_IDENTITY');
/** The DM's name in its certificate and in the envelopes it signs. */
export const DM_IDENTITY_NAME = 'dm';
/** Sub-directory of the data directory that keeps the DM's identity files (0700). */
export const DM_IDENTITY_DIRECTORY = 'identity';
/** The management API port RabbitMQ listens on next to AMQP when no URL is configured. */
export const DEFAULT_MANAGEMENT_PORT = 15672;
/**
 * Messages each DM consumer may hold unacknowledged: enough for the reconciler to apply a burst of
 * step results in one transaction (group commit); an instance has one job in flight at a time, so
 * handling them concurrently keeps each instance's results in order.
 */
export const DM_CONSUMER_PREFETCH = 256;
/** How long the replay cache keeps expired rows before a sweep deletes them (they are ignored anyway). */
export const REPLAY_SWEEP_INTERVAL_MS = 60_000;
/** The AMQP header an enrollment answer carries the DM's certificate in (DER, base64). */
export const DM_CERTIFICATE_HEADER = 'x-flotilla-dm-certificate';
