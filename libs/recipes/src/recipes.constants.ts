/** Grace period between SIGTERM and SIGKILL when a step's process group is stopped. */
export const DEFAULT_KILL_GRACE_MS = 2_000;

/** How long the runner waits for a finished step's pipes to drain when a background child keeps them open. */
export const OUTPUT_DRAIN_GRACE_MS = 250;

/** Default cap on the output a step may leave in memory (stdout and stderr interleaved). */
export const DEFAULT_OUTPUT_CAP_BYTES = 256 * 1024;

/** How many bytes of output a failure report carries as its log tail. */
export const LOG_TAIL_BYTES = 4 * 1024;

/** Default number of steps that may run at the same time on one agent. */
export const DEFAULT_MAX_CONCURRENT_STEPS = 4;

/** Variables a step inherits from the agent's own environment; nothing else leaks through. */
export const INHERITED_ENVIRONMENT_ALLOWLIST: readonly string[] = [
  'PATH',
  'HOME',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TERM',
];

/** PATH given to a step when the agent's own environment has none. */
export const DEFAULT_STEP_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Name of the nftables table (family inet) the agent owns; it never touches any other table. */
export const NFT_TABLE_NAME = 'flotilla';

/** Name of the iptables chain the agent owns (jumped to from INPUT). */
export const IPTABLES_CHAIN_NAME = 'FLOTILLA';

/** Name of the iptables chain holding one ACCEPT rule per open port. */
export const IPTABLES_PORTS_CHAIN_NAME = 'FLOTILLA-PORTS';

/** Priority of the agent's nftables input chain: after the usual filter chains (0). */
export const NFT_INPUT_PRIORITY = 10;

/** File name of the per-step firewall socket inside its private directory. */
export const FIREWALL_SOCKET_FILE_NAME = 'fw.sock';

/** Largest request the firewall socket accepts, in bytes (a request is one short JSON line). */
export const FIREWALL_REQUEST_MAX_BYTES = 1024;

/** Lowest valid TCP/UDP port number. */
export const MIN_PORT = 1;

/** Highest valid TCP/UDP port number. */
export const MAX_PORT = 65_535;

/** Version written into port ledger files; readers refuse other versions. */
export const LEDGER_FORMAT_VERSION = 1;

/** Version written into recipe bundles; readers refuse other versions. */
export const BUNDLE_FORMAT_VERSION = 1;
