import { z } from 'zod';
import type { MessageTypeDefinition } from '@flotilla/messaging';

/** Messages per measured run. */
export const MESSAGE_COUNT = 20_000;

/** Application payload size, in bytes (the raw body; the envelope wraps a payload of this size). */
export const PAYLOAD_BYTES = 512;

/** Publishes awaiting their confirm at once, in both modes. */
export const PUBLISH_WINDOW = 64;

/** Consumer prefetch, in both modes. */
export const PREFETCH = 64;

/** The agent name the benchmark publishes as. */
export const BENCH_AGENT = 'bench-agent';

/** The broker user both processes connect as (and that the trust record names). */
export const BENCH_BROKER_USER = 'flotilla-admin';

/** The message type of the envelope run. */
export const BENCH_REPORT_V1 = {
  type: 'bench.agent.report.v1',
  schema: z.strictObject({ sequence: z.number().int().nonnegative(), data: z.string().max(4096) }),
  senders: ['agent'],
  maxTtlMs: 10 * 60_000,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** What the orchestrator tells a child process. */
export interface BenchJob {
  readonly role: 'publisher' | 'consumer';
  readonly mode: 'raw' | 'envelope';
  readonly url: string;
  /** The uuid namespace of this run's exchanges and queues (FlotillaTopology). */
  readonly namespace: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly queue: string;
  /** Where the DM and agent identities and the DM trust file live (envelope mode). */
  readonly dataDir: string;
  /** Worker threads verifying signatures in the envelope consumer (0: in its main thread). */
  readonly verifyWorkers: number;
}

/** Messages between the orchestrator and its children. */
export type BenchMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'start' }
  | { readonly kind: 'done'; readonly count: number }
  | { readonly kind: 'failed'; readonly error: string };
