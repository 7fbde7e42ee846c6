/** A password encrypted to the DM's own X25519 key (libs/messaging payload encryption), base64. */
export interface SealedPassword {
  readonly ciphertext: string;
  readonly ephemeralPublicKey: string;
}

/** A root instance declared agentless, as services see it (the password stays sealed). */
export interface AgentlessTarget {
  readonly instanceId: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The pinned host key, `SHA256:<base64>` as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
  /** The proxy key to log in with; null: the proxy's first key (or the password when set). */
  readonly keyName: string | null;
  readonly sealedPassword: SealedPassword | null;
  readonly useSudo: boolean;
  readonly firewall: { readonly backend: 'nft' | 'none'; readonly isManaged: boolean };
  /** Agents allowed to serve it, first choice first; empty: any accepted proxy. */
  readonly proxies: readonly string[];
}

/** The target as `user@host:port`, for messages and the console. */
export function formatAgentlessTarget(target: AgentlessTarget): string {
  return `${target.user}@${target.host}:${target.port}`;
}
