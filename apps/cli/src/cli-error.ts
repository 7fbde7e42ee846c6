import { EXIT_FAILURE } from './cli.constants';

/** Stable codes of the failures the CLI reports to operators. */
export type CliErrorCode =
  | 'DM_UNREACHABLE'
  | 'NOT_LOGGED_IN'
  | 'UNAUTHENTICATED'
  | 'REQUEST_REFUSED'
  | 'TEMPLATE_REFUSED'
  | 'STEP_FAILED'
  | 'WAIT_TIMEOUT'
  | 'NO_AGENT'
  | 'USAGE'
  | 'INSTALL_FAILED'
  | 'ABORTED';

/** A failure the CLI prints as one clear message (no stack) before exiting with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
