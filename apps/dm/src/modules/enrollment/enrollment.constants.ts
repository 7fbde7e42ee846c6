/** How long a pending agent is told to wait before asking again. */
export const PENDING_RETRY_AFTER_MS = 3_000;
/** Random bytes in a generated agent broker password. */
export const BROKER_PASSWORD_BYTES = 24;
/** The prefix of an agent's broker user name (then the agent name). */
export const AGENT_BROKER_USER_PREFIX = 'flotilla-agent-';
/** Most agents' broker users provisioned in one management API call (decision 0186). */
export const BROKER_USERS_PER_IMPORT = 500;
