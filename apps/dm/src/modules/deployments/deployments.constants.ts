/** How often the reconciler looks for commands to (re)send: queued ones, and sent ones gone stale. */
export const DISPATCH_INTERVAL_MS = 5_000;
/** A sent command with no result after this long is sent again (same job id: the agent dedupes). */
export const RESEND_AFTER_MS = 60_000;
/** The longest a recipe step may run on an agent. */
export const STEP_TIMEOUT_MS = 10 * 60_000;
/** How many recent step runs the logs endpoint returns. */
export const RECENT_RUNS_LIMIT = 20;
/** Where extracted templates are kept, under the DM's data directory. */
export const TEMPLATES_DIRECTORY = 'templates';
/**
 * A step whose agent died while running it (result `aborted`) is queued again up to this attempt;
 * after that its abort counts as a failure, so that a step that kills its agent cannot loop.
 */
export const MAX_INTERRUPTED_ATTEMPTS = 3;
/** The most step results the reconciler applies in one transaction (group commit). */
export const RESULT_BATCH_MAX = 500;
/**
 * How many agents a dispatch pass sends to at once (each agent's commands stay in order): sending
 * one command at a time left the DM waiting on each broker confirm and database write in turn.
 */
export const DISPATCH_CONCURRENCY = 32;
/**
 * The most published commands a dispatch pass records as `sent` (with their audit entries) in one
 * transaction; the rest are recorded when the pass ends.
 */
export const SENT_BATCH_SIZE = 200;
