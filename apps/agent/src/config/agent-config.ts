import type { FirewallBackendName, PortRule } from '@flotilla/recipes';

/** The validated, frozen configuration of one agent process. */
export interface AgentConfig {
  /** The agent's name: its certificate CN, its broker queue suffix (a lowercase DNS label). */
  readonly name: string;
  /** Broker URL with the enrollment credentials (the accepted agent's own credentials replace them). */
  readonly amqpUrl: string;
  /** Prefix of every exchange and queue name (empty in production; tests use a uuid). */
  readonly brokerNamespace: string;
  /** Thumbprint (SHA-256 of the DER certificate, 64 hex) of the only DM this agent obeys. */
  readonly dmThumbprint: string;
  /** Optional one-time enrollment token set up at install. */
  readonly enrollmentToken?: string;
  readonly dataDir: string;
  readonly firewall: {
    readonly backend: FirewallBackendName;
    readonly isManaged: boolean;
    readonly alwaysOpen: readonly PortRule[];
  };
  readonly recipes: {
    /** Upper bound of any step's timeout (the DM's per-step timeout is capped by it). */
    readonly timeoutMs: number;
    /** The user recipes run as (name or uid); the agent's own user when absent. */
    readonly user?: string;
  };
  readonly heartbeatIntervalMs: number;
  /** The proxy role: absent unless the agent serves agentless hosts over SSH for the DM. */
  readonly proxy?: {
    /** Private key files (OpenSSH or PEM) the proxy logs in with, named by their file name. */
    readonly keyFiles: readonly string[];
    /** How many agentless steps run at once beside the agent's own queue. */
    readonly concurrency: number;
  };
  /** The environment the agent started with; recipes receive only its allowlisted variables. */
  readonly inheritedEnvironment: Readonly<Record<string, string | undefined>>;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** The command-line flags of `flotilla agent`, each standing for one `FLOTILLA_*` variable. */
export interface AgentFlags {
  readonly name?: string;
  readonly amqpUrl?: string;
  readonly brokerNamespace?: string;
  readonly dmThumbprint?: string;
  readonly enrollmentToken?: string;
  readonly dataDir?: string;
  readonly firewall?: string;
  readonly firewallManaged?: boolean;
  readonly alwaysOpen?: string;
  readonly recipeTimeout?: string;
  readonly recipeUser?: string;
  readonly heartbeatInterval?: string;
  readonly logLevel?: string;
  readonly proxy?: boolean;
  readonly proxyKey?: string;
  readonly proxyConcurrency?: string;
}
