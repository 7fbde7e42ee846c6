/** Where an agent keeps its identity and working state unless told otherwise. */
export const DEFAULT_AGENT_DATA_DIR = '/var/lib/flotilla-agent';

/** Heartbeat interval when none is configured (15 s, as the envelope design suggests). */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;

/** Longest a recipe step may run when the configuration does not say (10 min). */
export const DEFAULT_RECIPE_TIMEOUT_MS = 10 * 60_000;

/** Ports open in managed firewall mode whatever the ledger says (SSH). */
export const DEFAULT_ALWAYS_OPEN_PORTS = '22/tcp';

/** First wait between two enrollment requests while the DM has not answered or says pending. */
export const ENROLLMENT_INITIAL_RETRY_MS = 1_000;

/**
 * Longest wait between two enrollment requests the DM did not answer (1 min): a DM that is busy or
 * restarting finds its agents back within a minute, and a DM down for long gets one small request
 * per agent per minute, each expiring in the queue (decision 0185).
 */
export const ENROLLMENT_MAX_RETRY_MS = 60_000;

/** How long the agent waits for an answer to one enrollment request before sending another. */
export const ENROLLMENT_ANSWER_TIMEOUT_MS = 10_000;

/** Lifetime of an enrollment request envelope (the DM's clock may be off by the allowed skew). */
export const ENROLLMENT_REQUEST_TTL_MS = 60_000;

/**
 * How long an enrollment request may wait in the DM's queue (AMQP expiration): no longer than the
 * agent waits for the answer, so that a DM working through a burst never provisions a broker user
 * (with a fresh password) for a request nobody listens to any more.
 */
export const ENROLLMENT_REQUEST_QUEUE_TTL_MS = ENROLLMENT_ANSWER_TIMEOUT_MS;

/** AMQP header of the DM's enrollment response that carries its certificate (base64 DER). */
export const DM_CERTIFICATE_HEADER = 'x-flotilla-dm-certificate';

/** RabbitMQ's pseudo-queue for direct replies: no queue to declare before enrollment. */
export const DIRECT_REPLY_TO_QUEUE = 'amq.rabbitmq.reply-to';

/** Most bytes of output a step keeps in memory (older output is dropped). */
export const STEP_OUTPUT_CAP_BYTES = 256 * 1024;

/**
 * How many commands the agent takes from its queue at once: one, so that commands are handled in
 * the order the DM sent them (a bundle is cached before the step that needs it runs).
 */
export const AGENT_PREFETCH = 1;

/** Permission bits of the agent's state files that hold secrets (broker credentials). */
export const PRIVATE_STATE_FILE_MODE = 0o600;

/** Permission bits of the agent's data directory. */
export const PRIVATE_STATE_DIR_MODE = 0o700;

/**
 * How many agentless steps a proxy runs at once by default. They run beside the queue's one
 * command at a time, so that a slow or unreachable target never holds the agent's own steps.
 */
export const DEFAULT_PROXY_CONCURRENCY = 4;
