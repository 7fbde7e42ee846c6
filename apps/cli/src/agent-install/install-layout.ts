import { join } from 'node:path';
import { CliError } from '../cli-error';
import {
  AGENT_DATA_DIR,
  AGENT_ENV_FILE,
  AGENT_UNIT_NAME,
  INSTALL_DIR,
  LAUNCHER_RELATIVE_PATH,
  SYSTEMD_UNIT_DIR,
} from './agent-install.constants';

/** The installed agent's paths on the target, under an optional prefix (tests, unprivileged). */
export class InstallLayout {
  constructor(private readonly prefix: string = '') {}

  /** The unpacked package. */
  get installDir(): string {
    return this.under(INSTALL_DIR);
  }

  /** The launcher `node` runs. */
  get launcher(): string {
    return join(this.installDir, LAUNCHER_RELATIVE_PATH);
  }

  /** The agent's settings (FLOTILLA_* lines). */
  get envFile(): string {
    return this.under(AGENT_ENV_FILE);
  }

  /** The agent's identity and state. */
  get dataDir(): string {
    return this.under(AGENT_DATA_DIR);
  }

  /** The pid of a directly started agent (no systemd). */
  get pidFile(): string {
    return join(this.dataDir, 'agent.pid');
  }

  /** The output of a directly started agent (no systemd). */
  get logFile(): string {
    return join(this.dataDir, 'agent.log');
  }

  /** The unit file; systemd reads units only from its own directories, so never prefixed. */
  get unitFile(): string {
    return join(SYSTEMD_UNIT_DIR, AGENT_UNIT_NAME);
  }

  private under(path: string): string {
    return this.prefix === '' ? path : join(this.prefix, path);
  }
}

const VARIABLE_NAME = /^FLOTILLA_[A-Z0-9_]+$/;
const UNSAFE_VALUE = /['\n\r\0\\]/;

/**
 * Renders the agent's settings as `NAME='value'` lines: read alike by systemd's EnvironmentFile
 * and by a POSIX shell (`set -a; . file`), so both start modes share one file.
 * @throws CliError USAGE when a value holds a quote, backslash or line break (the two readers
 * would disagree on it).
 */
export function renderAgentEnv(settings: Readonly<Record<string, string>>): string {
  const lines = ['# Written by flotilla agent install; the agent reads it at start.'];
  for (const [name, value] of Object.entries(settings)) {
    if (!VARIABLE_NAME.test(name) || UNSAFE_VALUE.test(value)) {
      throw new CliError(
        'USAGE',
        `Agent setting ${name} cannot be written to agent.env: names are FLOTILLA_*, values hold no quote, backslash or line break`,
      );
    }
    lines.push(`${name}='${value}'`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Adapts the packaged unit to this install: its ExecStart runs the launcher with `nodePath`,
 * and its EnvironmentFile is the written agent.env (which also sets the data directory).
 * @throws CliError INSTALL_FAILED when the packaged unit lacks either line.
 */
export function renderAgentUnit(packagedUnit: string, layout: InstallLayout, nodePath: string) {
  let execStart = false;
  let environmentFile = false;
  const lines = packagedUnit.split('\n').map((line) => {
    if (line.startsWith('ExecStart=')) {
      execStart = true;
      return `ExecStart=${nodePath} ${layout.launcher}`;
    }
    if (line.startsWith('EnvironmentFile=')) {
      environmentFile = true;
      return `EnvironmentFile=${layout.envFile}`;
    }
    return line;
  });
  if (!execStart || !environmentFile) {
    throw new CliError(
      'INSTALL_FAILED',
      'The packaged unit packaging/systemd/flotilla-agent.service has no ExecStart= or EnvironmentFile= line',
    );
  }
  return lines.join('\n');
}
