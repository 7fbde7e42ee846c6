import { CliError } from '../cli-error';

/** The SSH port when `--ssh` names none. */
const DEFAULT_SSH_PORT = 22;

/** `--ssh user@host[:port]` split into its parts. */
export interface SshAddress {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `user@host[:port]` (a host name or an IPv4 address).
 * @throws CliError USAGE naming what is missing or wrong.
 */
export function parseSshAddress(text: string): SshAddress {
  const match = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)@([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[3] === undefined ? DEFAULT_SSH_PORT : Number(match[3]);
  if (match === null || port < 1 || port > 65_535) {
    throw new CliError(
      'USAGE',
      `--ssh "${text}" is not user@host[:port] (for example deploy@10.0.0.7:22)`,
    );
  }
  return { user: match[1], host: match[2], port };
}
