import { Client, type ConnectConfig } from 'ssh2';
import { HostKeyCheck } from './host-key-fingerprint';
import {
  DEFAULT_SSH_KEEPALIVE_COUNT_MAX,
  DEFAULT_SSH_KEEPALIVE_INTERVAL_MS,
  DEFAULT_SSH_PORT,
  DEFAULT_SSH_READY_TIMEOUT_MS,
} from './ssh.constants';
import { SshError } from './ssh.errors';
import { formatSshTarget, validateSshTarget, type SshTarget } from './ssh-target';

/** Timeouts and keep-alives of SSH connections; defaults in ssh.constants.ts. */
export interface SshConnectOptions {
  readonly readyTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
}

/**
 * Opens one authenticated SSH connection to `target`, refusing any host key but the pinned one.
 * @throws SshError SSH_TARGET_INVALID, SSH_HOST_KEY_MISMATCH, SSH_AUTH_FAILED or SSH_UNREACHABLE.
 */
export function connectSsh(target: SshTarget, options: SshConnectOptions = {}): Promise<Client> {
  validateSshTarget(target);
  const check = new HostKeyCheck(target.hostKeyFingerprint);
  const client = new Client();
  return new Promise<Client>((resolve, reject) => {
    const onError = (error: Error): void => {
      client.removeListener('ready', onReady);
      client.end();
      reject(describeConnectFailure(target, check, error));
    };
    const onReady = (): void => {
      client.removeListener('error', onError);
      resolve(client);
    };
    client.once('ready', onReady);
    client.once('error', onError);
    client.connect(connectConfig(target, options, check));
  });
}

function connectConfig(
  target: SshTarget,
  options: SshConnectOptions,
  check: HostKeyCheck,
): ConnectConfig {
  const credential = target.credential;
  return {
    host: target.host,
    port: target.port ?? DEFAULT_SSH_PORT,
    username: target.user,
    readyTimeout: options.readyTimeoutMs ?? DEFAULT_SSH_READY_TIMEOUT_MS,
    keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_SSH_KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: options.keepaliveCountMax ?? DEFAULT_SSH_KEEPALIVE_COUNT_MAX,
    hostVerifier: (key: Buffer) => check.verify(key),
    ...(credential.kind === 'password'
      ? { password: credential.password, tryKeyboard: false }
      : { privateKey: credential.privateKey, passphrase: credential.passphrase }),
  };
}

/** Turns ssh2's terse errors into one that names the target and what went wrong. */
function describeConnectFailure(target: SshTarget, check: HostKeyCheck, error: Error): SshError {
  const label = formatSshTarget(target);
  if (check.isMismatch) {
    return new SshError(
      'SSH_HOST_KEY_MISMATCH',
      `Host key of ${label} refused: expected ${check.expectedFingerprint} (pinned), the server presented ${String(check.presented)}. ` +
        'If the host was legitimately re-keyed, pin the new fingerprint; otherwise someone may be intercepting the connection.',
      {
        target: label,
        expectedFingerprint: check.expectedFingerprint,
        presentedFingerprint: check.presented,
      },
      { cause: error },
    );
  }
  const level = (error as Error & { level?: string }).level;
  if (level === 'client-authentication') {
    return new SshError(
      'SSH_AUTH_FAILED',
      `SSH login to ${label} refused: the server accepted none of the ${target.credential.kind} credential`,
      { target: label },
      { cause: error },
    );
  }
  return new SshError(
    'SSH_UNREACHABLE',
    `Cannot reach SSH target ${label}: ${error.message}`,
    { target: label },
    { cause: error },
  );
}
