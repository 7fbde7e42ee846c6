import { DEFAULT_SSH_PORT } from './ssh.constants';
import { SshError } from './ssh.errors';

/** The credential the proxy logs in with: a private key it holds, or a password an operator gave. */
export type SshCredential =
  | {
      readonly kind: 'private-key';
      readonly privateKey: string | Buffer;
      readonly passphrase?: string;
    }
  | { readonly kind: 'password'; readonly password: string };

/** An agentless host reached over SSH, with its pinned host key. */
export interface SshTarget {
  readonly host: string;
  /** Defaults to 22. */
  readonly port?: number;
  readonly user: string;
  /** The pinned host key, as OpenSSH prints it: `SHA256:<base64 without padding>`. */
  readonly hostKeyFingerprint: string;
  readonly credential: SshCredential;
  /** Run privileged commands (the firewall) through `sudo -n`. */
  readonly useSudo?: boolean;
}

const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
const USER_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The target as `user@host:port`, for messages and pool keys (never carries the credential). */
export function formatSshTarget(target: SshTarget): string {
  return `${target.user}@${target.host}:${target.port ?? DEFAULT_SSH_PORT}`;
}

/**
 * Checks a target's fields before any connection is tried.
 * @throws SshError SSH_TARGET_INVALID naming the field and what is wrong with it.
 */
export function validateSshTarget(target: SshTarget): void {
  const problems: string[] = [];
  const port = target.port ?? DEFAULT_SSH_PORT;
  if (target.host.trim() === '') {
    problems.push('host: must not be empty');
  }
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    problems.push(`port: ${String(target.port)} is not a port number (1-65535)`);
  }
  if (!USER_PATTERN.test(target.user)) {
    problems.push(`user: "${target.user}" is not a valid user name`);
  }
  if (!FINGERPRINT_PATTERN.test(target.hostKeyFingerprint)) {
    problems.push(
      `hostKeyFingerprint: "${target.hostKeyFingerprint}" is not SHA256:<43 base64 characters> as ssh-keygen -lf prints it`,
    );
  }
  if (problems.length > 0) {
    throw new SshError(
      'SSH_TARGET_INVALID',
      `SSH target ${formatSshTarget(target)} is invalid: ${problems.join('; ')}`,
      { target: formatSshTarget(target), field: problems[0].split(':')[0] },
    );
  }
}
