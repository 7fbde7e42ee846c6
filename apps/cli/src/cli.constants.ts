/** The DM URL `flotilla login` uses when neither `--url` nor FLOTILLA_URL says otherwise. */
export const DEFAULT_DM_URL = 'http://127.0.0.1:8181';
/** The operator `flotilla login` signs in as by default. */
export const DEFAULT_USERNAME = 'admin';
/** Where the credentials file lives under the configuration directory. */
export const CREDENTIALS_RELATIVE_PATH = ['flotilla', 'credentials.json'] as const;
/** Only the owner may read or write the credentials file: it holds a bearer token. */
export const CREDENTIALS_FILE_MODE = 0o600;
/** The configuration directory itself is private too. */
export const CREDENTIALS_DIR_MODE = 0o700;
/** Exit code of a command that failed (a refused request, a failed step). */
export const EXIT_FAILURE = 1;
/** Exit code of a command used wrongly (unknown option, missing argument). */
export const EXIT_USAGE = 2;
/** How long `deploy|start|stop|undeploy` wait by default before giving up, in seconds. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600;
/** How often the waiter re-reads the instances when no event arrives, in milliseconds. */
export const WAIT_POLL_INTERVAL_MS = 2000;
/** Lines of a failing step's log shown when a deployment fails. */
export const FAILURE_LOG_TAIL_LINES = 20;
/** Width of the progress bar, in characters. */
export const PROGRESS_BAR_WIDTH = 30;
/** How many audit entries `flotilla audit` asks for by default. */
export const DEFAULT_AUDIT_LIMIT = 50;
