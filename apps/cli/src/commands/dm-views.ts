/** A diagnostic of a refused or warned-about template, as the DM returns it. */
export interface DiagnosticView {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  readonly text: string;
}

/** A stored template. */
export interface TemplateView {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly components: readonly string[];
  readonly instanceCount: number;
  readonly createdAt: string;
  readonly warnings?: readonly DiagnosticView[];
}

/** An application. */
export interface ApplicationView {
  readonly name: string;
  readonly template: string;
  readonly templateVersion: string;
  readonly instanceCount: number;
  readonly createdAt: string;
}

/** A step failure kept on an instance. */
export interface FailureView {
  readonly step?: string;
  readonly exitCode?: number | null;
  readonly logTail?: string;
}

/** An instance; `state` is `unknown` while its agent is lost. */
export interface InstanceView {
  readonly path: string;
  readonly name: string;
  readonly component: string;
  readonly parentPath: string | null;
  readonly desiredState: string;
  readonly state: string;
  readonly agent: string | null;
  readonly runsOn: string | null;
  /** `user@host:port` when the root is agentless (a proxy agent reaches it over SSH). */
  readonly agentless?: string | null;
  readonly exports: Readonly<Record<string, string>>;
  readonly lastFailure: FailureView | null;
}

/** An agent. */
export interface AgentView {
  readonly name: string;
  readonly thumbprint: string;
  readonly nextThumbprint: string | null;
  readonly state: string;
  readonly hostFacts: Readonly<Record<string, unknown>>;
  readonly lastSeenAt: string | null;
  readonly isLost: boolean;
}

/** One step run of an instance. */
export interface StepRunView {
  readonly jobId: string;
  readonly step: string;
  readonly attempt: number;
  readonly status: string;
  readonly agent: string | null;
  readonly sentAt: string | null;
  readonly exitCode: number | null;
  readonly logTail: string;
  /** An agentless step's set-up (connection, upload, clean-up), apart from the recipe's output. */
  readonly setup?: {
    readonly target: string;
    readonly log: readonly string[];
    readonly failure?: { readonly phase: string; readonly code: string; readonly message: string };
    readonly handedOver?: string;
  };
}

/** One audit entry. */
export interface AuditView {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target?: string;
  readonly details: Readonly<Record<string, unknown>>;
}
