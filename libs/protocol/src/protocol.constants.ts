const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** How long a step command may wait in an agent's queue before it is void; the DM reissues it after. */
export const STEP_COMMAND_TTL_MS = 5 * MINUTE_MS;

/** How long a recipe bundle stays valid in flight. */
export const RECIPE_BUNDLE_TTL_MS = 10 * MINUTE_MS;

/** How long a step report may take to reach the DM (it may sit in the broker while the DM restarts). */
export const STEP_REPORT_TTL_MS = 15 * MINUTE_MS;

/** Lifetime of a live output chunk: late chunks are worthless. */
export const STEP_OUTPUT_TTL_MS = MINUTE_MS;

/** Largest recipe bundle the DM ships in one envelope (base64 adds a third; the envelope cap is 1 MiB). */
export const MAX_RECIPE_BUNDLE_BYTES = 640 * 1024;

/** Longest log tail carried in a step report. */
export const MAX_LOG_TAIL_CHARS = 16 * 1024;

/** Longest output chunk streamed in one message. */
export const MAX_OUTPUT_CHUNK_CHARS = 32 * 1024;
