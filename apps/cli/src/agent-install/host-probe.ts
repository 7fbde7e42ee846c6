import { CliError } from '../cli-error';
import { AGENT_UNIT_NAME, MIN_NODE_MAJOR } from './agent-install.constants';
import type { RemoteHost } from './remote-host';

/** What the installer needs to know about the target before it changes anything. */
export interface HostFacts {
  readonly nodePath: string;
  readonly nodeVersion: string;
  readonly hostname: string;
  readonly hasSystemd: boolean;
  /** Whether flotilla-agent.service runs there now (an agent installed with systemd). */
  readonly isUnitActive: boolean;
}

// One round trip; each fact on its own line. `command -v` fails (empty) when node is absent.
const PROBE_SCRIPT = [
  'node_path=$(command -v node || true)',
  'echo "$node_path"',
  'if [ -n "$node_path" ]; then "$node_path" -p process.versions.node; else echo; fi',
  'hostname',
  'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then echo yes; else echo no; fi',
  `if command -v systemctl >/dev/null && systemctl is-active --quiet ${AGENT_UNIT_NAME} 2>/dev/null; then echo active; else echo inactive; fi`,
].join('\n');

/** Reads the target's Node (path and version), hostname, and whether systemd and the unit run there. */
export async function probeHost(host: RemoteHost): Promise<HostFacts> {
  return parseHostFacts(await host.runChecked('Probing the host', PROBE_SCRIPT), host.label);
}

/**
 * The facts in the probe script's output (one per line).
 * @throws CliError INSTALL_FAILED when Node is absent or older than MIN_NODE_MAJOR.
 */
export function parseHostFacts(output: string, label: string): HostFacts {
  const [nodePath, nodeVersion, hostname, systemd, unit] = output
    .split('\n')
    .map((line) => line.trim());
  if (!nodePath) {
    throw new CliError(
      'INSTALL_FAILED',
      `No node on ${label} (command -v node found nothing): install Node.js ${MIN_NODE_MAJOR} or later there first`,
    );
  }
  const major = Number(nodeVersion.split('.')[0]);
  if (!Number.isInteger(major) || major < MIN_NODE_MAJOR) {
    throw new CliError(
      'INSTALL_FAILED',
      `Node ${nodeVersion || '(unknown version)'} at ${nodePath} on ${label} is too old: the agent needs Node ${MIN_NODE_MAJOR} or later`,
    );
  }
  return {
    nodePath,
    nodeVersion,
    hostname,
    hasSystemd: systemd === 'yes',
    isUnitActive: unit === 'active',
  };
}

/**
 * Checks that the agent can be started as asked, before anything on the host changes.
 * @throws CliError INSTALL_FAILED for a direct start while the systemd unit runs: two agents
 * with one identity would compete for one queue.
 */
export function checkStartable(facts: HostFacts, isSystemdAllowed: boolean, label: string): void {
  if (facts.isUnitActive && !(facts.hasSystemd && isSystemdAllowed)) {
    throw new CliError(
      'INSTALL_FAILED',
      `${AGENT_UNIT_NAME} is running on ${label}: that agent is managed by systemd; install without --no-systemd`,
    );
  }
}
