/** A configuration that failed validation; the message lists every bad key and why. */
export class AgentConfigError extends Error {
  readonly code = 'AGENT_CONFIG_INVALID';

  constructor(
    message: string,
    /** The invalid keys (`FLOTILLA_DM_THUMBPRINT`). */
    readonly keys: readonly string[],
  ) {
    super(message);
    this.name = 'AgentConfigError';
  }
}
