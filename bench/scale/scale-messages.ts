/** What the DM process tells the benchmark. */
export type DmProcessMessage = {
  readonly kind: 'ready';
  readonly url: string;
  readonly thumbprint: string;
};

/** What an agent process tells the benchmark. */
export type AgentProcessMessage =
  | { readonly kind: 'identity'; readonly name: string; readonly thumbprint: string }
  | { readonly kind: 'running'; readonly name: string }
  | { readonly kind: 'steps'; readonly executed: number };

/** What the benchmark tells an agent process at start (its only argument, as JSON). */
export interface AgentProcessJob {
  readonly names: readonly string[];
  /** Broker URL with the enrollment user's credentials. */
  readonly amqpUrl: string;
  readonly namespace: string;
  readonly dmThumbprint: string;
  /** Each agent's data directory is `<dataDir>/<name>`. */
  readonly dataDir: string;
  readonly concurrency: number;
  readonly heartbeatMs: number;
}
