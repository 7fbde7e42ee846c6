import type { z } from 'zod';

/** Kind of sender a message type accepts: the DM, an agent, or (enrollment only) a not-yet-trusted party. */
export type SenderKind = 'dm' | 'agent' | 'unknown';

/** Pattern of a message type name: dotted lower-case words ending with a version, e.g. `agent.heartbeat.v1`. */
export const MESSAGE_TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[1-9][0-9]*$/;

/** Declaration of one message type: its payload schema and who may send it, how, and for how long. */
export interface MessageTypeDefinition<TSchema extends z.ZodType = z.ZodType> {
  /** Versioned dotted name, e.g. `agent.heartbeat.v1`. */
  readonly type: string;
  /** Schema of the payload, checked when sealing and after verification when opening. */
  readonly schema: TSchema;
  /** Sender kinds allowed; `unknown` means any non-revoked sender proving possession of the carried certificate. */
  readonly senders: readonly SenderKind[];
  /** Longest allowed lifetime (`expiresAt - issuedAt`) in milliseconds. */
  readonly maxTtlMs: number;
  /** Whether envelopes of this type carry the sender's certificate (enrollment). */
  readonly carriesCertificate: boolean;
  /** Whether the payload must be encrypted to the recipient. */
  readonly encrypted: boolean;
}

/** Lookup a receiver and a sender use to find the declaration of a message type; the allowlist. */
export interface MessagePolicy {
  /** Returns the declaration of `type`, or undefined when the type is not allowed here. */
  definitionOf(type: string): MessageTypeDefinition | undefined;
}
