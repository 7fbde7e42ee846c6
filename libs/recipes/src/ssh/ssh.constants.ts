/** The SSH port used when a target names none. */
export const DEFAULT_SSH_PORT = 22;

/** How long connecting, the handshake and authentication may take together. */
export const DEFAULT_SSH_READY_TIMEOUT_MS = 10_000;

/** Interval of SSH keep-alive requests on a pooled connection. */
export const DEFAULT_SSH_KEEPALIVE_INTERVAL_MS = 10_000;

/** Unanswered keep-alives after which a pooled connection is considered lost. */
export const DEFAULT_SSH_KEEPALIVE_COUNT_MAX = 3;

/** How long an unused pooled connection stays open before it is closed. */
export const DEFAULT_SSH_IDLE_CLOSE_MS = 30_000;

/** Prefix of the private temporary directory created on the target for each step. */
export const REMOTE_WORKDIR_PREFIX = 'flotilla-step.';

/** Name, inside the remote step directory, of the file holding the step's environment. */
export const REMOTE_ENV_FILE_NAME = 'step.env';

/** Name, inside the remote step directory, of the file holding the step's process group id. */
export const REMOTE_PGID_FILE_NAME = 'step.pgid';

/** Name, inside the remote step directory, of the fixed wrapper that runs the step. */
export const REMOTE_WRAPPER_FILE_NAME = 'run-step';

/** Name, inside the remote step directory, of the file holding the firewall relay's pid. */
export const REMOTE_RELAY_PID_FILE_NAME = 'fw.pid';

/** Where step directories are created on a target unless the executor is told otherwise. */
export const DEFAULT_REMOTE_TEMP_DIR = '/tmp';

/** Directory (inside the remote step directory) of the `flotilla-fw` helper put on PATH. */
export const REMOTE_BIN_DIR_NAME = 'bin';

/** Name of the FIFO recipes write firewall requests to (given to them as `FLOTILLA_FW_SOCKET`). */
export const REMOTE_FW_FIFO_NAME = 'fw.requests';

/** Name of the directory holding the unpacked bundle inside the remote step directory. */
export const REMOTE_BUNDLE_DIR_NAME = 'bundle';
