import { CliError } from '../cli-error';
import { DEFAULT_INSTALL_SSH_PORT } from './agent-install.constants';

/** Where `--ssh user@host[:port]` points. */
export interface SshAddress {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

const ADDRESS_PATTERN = /^([^@\s]+)@(\[[^\]]+\]|[^:@\s]+)(?::(\d+))?$/;
const MAX_PORT = 65_535;

/**
 * Parses `user@host`, `user@host:port` or `user@[v6-address]:port`.
 * @throws CliError USAGE naming what is wrong with the address.
 */
export function parseSshAddress(text: string): SshAddress {
  const match = ADDRESS_PATTERN.exec(text.trim());
  if (!match) {
    throw new CliError('USAGE', `--ssh "${text}": expected user@host or user@host:port`);
  }
  const port = match[3] === undefined ? DEFAULT_INSTALL_SSH_PORT : Number(match[3]);
  if (port < 1 || port > MAX_PORT) {
    throw new CliError('USAGE', `--ssh "${text}": port ${port} is not in 1-${MAX_PORT}`);
  }
  return { user: match[1], host: match[2].replace(/^\[|\]$/g, ''), port };
}
