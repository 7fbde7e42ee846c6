/** Where a line of step output came from. */
export type OutputStream = 'stdout' | 'stderr';

/** The identity a step runs as: numeric ids resolved from a user name, and that user's home. */
export interface StepUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** What `ScriptRunner.run` needs to run one script: the script itself, never a shell command line. */
export interface StepRunOptions {
  /** Absolute path of an executable script (its shebang picks the interpreter). */
  readonly scriptPath: string;
  /** Working directory; must be accessible to `user` when one is given. */
  readonly cwd: string;
  /** The complete environment of the step: nothing else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /** Run as this user instead of the agent's own (root can drop to any user). */
  readonly user?: StepUser;
  /** After this long the whole process group gets SIGTERM, then SIGKILL after the grace period. */
  readonly timeoutMs: number;
  /** Most bytes of output kept in memory; older output is dropped and `truncated` set. */
  readonly outputCapBytes: number;
  /** Receives every chunk of output as it arrives, for streaming to the DM. */
  readonly onOutput?: (chunk: string, stream: OutputStream) => void;
  /** Aborting it stops the step the same way a timeout does (for an agent shutting down). */
  readonly signal?: AbortSignal;
}

/** Output a step printed, capped to its most recent bytes. */
export interface CapturedOutput {
  readonly text: string;
  /** True when older output was dropped to respect the cap. */
  readonly truncated: boolean;
  /** Every byte the step printed, kept or not. */
  readonly totalBytes: number;
}

/** What happened when a script ran: only `exitCode === 0` with no signal and no timeout is a success. */
export interface StepResult {
  /** The exit code, or null when the script was ended by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** True when the caller's AbortSignal stopped the step. */
  readonly aborted: boolean;
  readonly output: CapturedOutput;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** True when a step result is a success: exit code 0, not killed, not timed out, not aborted. */
export function isStepSuccess(result: StepResult): boolean {
  return result.exitCode === 0 && result.signal === null && !result.timedOut && !result.aborted;
}
