/** Simulated agents when `--agents` is not given. */
export const DEFAULT_AGENTS = 1_000;

/** Application instances (roots included) when `--instances` is not given. */
export const DEFAULT_INSTANCES = 5_000;

/** Child processes the simulated agents are spread over (at least). */
export const AGENT_PROCESSES = 4;

/** Most agents one process runs when `--processes` is not given (more agents: more processes). */
export const AGENTS_PER_PROCESS = 2_500;

/**
 * libuv threads (UV_THREADPOOL_SIZE) of each agent process, for the journal and state files of
 * the many agents it runs (one real agent has 4 to itself).
 */
export const AGENT_PROCESS_FS_THREADS = 64;

/** Agents of one process starting (identity, enrollment, connection) at once. */
export const AGENT_START_CONCURRENCY = 16;

/** API calls (accept, bind) in flight at once. */
export const API_CONCURRENCY = 8;

/** Root bindings per `bind-agents` call (the DM takes at most 1,000 in one transaction). */
export const BIND_CHUNK = 1_000;

/** `bind-agents` calls in flight at once (each binds its own roots: no lock waits between them). */
export const BIND_CONCURRENCY = 2;

/** Every how many roots one carries a database the application tier imports. */
export const ROOTS_PER_DATABASE = 100;

/** The password of the run's enrollment broker user (write on the enrollment exchange only). */
export const ENROLL_PASSWORD = 'scale-bench-enroll-secret';

/** The DM's admin password in the benchmark. */
export const ADMIN_PASSWORD = 'scale bench admin password';

/** Heartbeat interval of the simulated agents (the production default). */
export const AGENT_HEARTBEAT_MS = 15_000;

/** Longest wait for one phase (enrollment, deployment) before the run fails. */
export const PHASE_TIMEOUT_MS = 30 * 60_000;

/** How often the DM process's RSS and CPU time are sampled from /proc. */
export const SAMPLE_INTERVAL_MS = 250;
