/** The prefetch a consumer uses when none is given: enough to keep a handler busy, small enough to share. */
export const DEFAULT_PREFETCH = 32;

/** The first reconnection delay, in milliseconds. */
export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 100;

/** The longest reconnection delay, in milliseconds. */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 5_000;

/** The reconnection delay multiplier between attempts. */
export const DEFAULT_RECONNECT_FACTOR = 2;

/** The share of a reconnection delay that is randomised (0 = none, 1 = full jitter). */
export const DEFAULT_RECONNECT_JITTER = 0.5;

/** How long a publish (including waiting for a reconnection) may take before it fails, in milliseconds. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 30_000;

/** The AMQP heartbeat interval negotiated with the broker, in seconds. */
export const DEFAULT_HEARTBEAT_SECONDS = 15;

/** The delays of the successive retry queues of a work queue, in milliseconds (one TTL queue each). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 25_000];

/** The header that counts how many times a message has been retried after a handler failure. */
export const RETRY_COUNT_HEADER = 'x-flotilla-retry-count';

/** The header that carries why a message was dead-lettered. */
export const REASON_HEADER = 'x-flotilla-reason';

/** The header that carries the stable code of why a message was dead-lettered. */
export const REASON_CODE_HEADER = 'x-flotilla-reason-code';

/** The header that names the queue a dead-lettered or retried message came from. */
export const SOURCE_QUEUE_HEADER = 'x-flotilla-source-queue';

/** The header that keeps the broker-validated `user_id` of the original publisher on a retried copy. */
export const ORIGINAL_USER_ID_HEADER = 'x-flotilla-original-user-id';

/** The AMQP delivery mode of persistent messages. */
export const PERSISTENT_DELIVERY_MODE = 2;

/** The AMQP reply code of a refused access (permissions, topic permissions, user_id mismatch). */
export const ACCESS_REFUSED_REPLY_CODE = 403;

/** The separator of the node URLs in a broker URL list (`amqp://a/v,amqp://b/v`). */
export const BROKER_URL_SEPARATOR = ',';

/** The queue types Flotilla declares its work, retry and dead-letter queues as. */
export const QUEUE_TYPES = ['classic', 'quorum'] as const;

/**
 * The queue type used when none is configured: classic, because an existing classic queue cannot
 * be re-declared as quorum (decision 0161); clusters configure `quorum`.
 */
export const DEFAULT_QUEUE_TYPE = 'classic';

/** The AMQP reply code of a declaration that contradicts an existing one (inequivalent arguments). */
export const PRECONDITION_FAILED_REPLY_CODE = 406;
