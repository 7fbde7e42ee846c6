import type { AgentState } from './entities/agent.entity';

/** An agent as services and the API see it. */
export interface Agent {
  readonly name: string;
  readonly thumbprint: string;
  readonly nextThumbprint: string | null;
  readonly state: AgentState;
  readonly hostFacts: Readonly<Record<string, unknown>>;
  readonly brokerUser: string | null;
  readonly lastSeenAt: Date | null;
  readonly isLost: boolean;
  readonly createdAt: Date;
}

/** What an agent sent in its (already verified) enrollment request. */
export interface EnrollmentRequest {
  readonly name: string;
  /** `sha256:<hex>` of the certificate that signed the request. */
  readonly thumbprint: string;
  readonly hostFacts: Readonly<Record<string, unknown>>;
  /** A one-time enrollment token set up at install, if the agent has one. */
  readonly enrollmentToken?: string;
}

/** How an enrollment request was decided. */
export type EnrollmentOutcome =
  /** A new agent, waiting for an operator. */
  | 'pending'
  /** A new agent, trusted at once by the allowlist or a one-time token. */
  | 'auto-accepted'
  /** The same name and thumbprint as a known agent: the same record, unchanged in trust. */
  | 'known'
  /** The name belongs to an agent with another thumbprint: refused. */
  | 'denied';

/** The answer to an enrollment request. */
export interface EnrollmentDecision {
  readonly outcome: EnrollmentOutcome;
  /** The agent record; for `denied`, the existing agent that owns the name. */
  readonly agent: Agent;
}
