/** The workspace whose built code the installer ships: the agent and what it requires. */
export const AGENT_PACKAGE_NAME = '@flotilla/agent';
/** The scope of Flotilla's own workspaces: shipped as their built `dist` files only. */
export const WORKSPACE_SCOPE = '@flotilla/';
/** The unit file the installer adapts (its ExecStart and EnvironmentFile lines). */
export const AGENT_UNIT_SOURCE = ['packaging', 'systemd', 'flotilla-agent.service'] as const;
/** The name of the installed systemd unit. */
export const AGENT_UNIT_NAME = 'flotilla-agent.service';
/** Where systemd units written by an administrator live. */
export const SYSTEMD_UNIT_DIR = '/etc/systemd/system';
/** The installed layout, under an optional `--prefix`: the same paths as the packaged unit. */
export const INSTALL_DIR = '/opt/flotilla-agent';
/** The agent's settings, read by the unit's EnvironmentFile (and by the direct start). */
export const AGENT_ENV_FILE = '/etc/flotilla/agent.env';
/** The agent's identity and state (the unit's StateDirectory). */
export const AGENT_DATA_DIR = '/var/lib/flotilla-agent';
/** The launcher inside the install directory. */
export const LAUNCHER_RELATIVE_PATH = 'bin/flotilla-agent.js';
/** The oldest Node major the agent runs on. */
export const MIN_NODE_MAJOR = 20;
/** How long the installer waits for the started agent to enroll, in seconds. */
export const DEFAULT_ENROLL_WAIT_SECONDS = 60;
/** How often the installer re-reads the agent while waiting for it to enroll, in milliseconds. */
export const ENROLL_POLL_INTERVAL_MS = 500;
/** How long a directly started agent may take to stop (SIGTERM) before a reinstall gives up. */
export const DIRECT_STOP_TIMEOUT_SECONDS = 30;
/** Lines of the agent's log shown when it did not enroll in time. */
export const LOG_TAIL_LINES = 20;
