/** Stable codes of the errors the SSH executor throws: one per failure an operator must tell apart. */
export type SshErrorCode =
  | 'SSH_TARGET_INVALID'
  | 'SSH_UNREACHABLE'
  | 'SSH_HOST_KEY_MISMATCH'
  | 'SSH_AUTH_FAILED'
  | 'SSH_CONNECTION_LOST'
  | 'SSH_COMMAND_FAILED'
  | 'SSH_UPLOAD_FAILED';

/** Context fields an SSH error carries: which target, and which remote command or file. */
export interface SshErrorContext {
  readonly target?: string;
  readonly field?: string;
  readonly command?: string;
  readonly file?: string;
  readonly expectedFingerprint?: string;
  readonly presentedFingerprint?: string;
}

/** The error of the agentless (SSH) executor: a stable `code`, readonly context and the `cause`. */
export class SshError extends Error {
  override readonly name = 'SshError';

  constructor(
    readonly code: SshErrorCode,
    message: string,
    readonly context: SshErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
