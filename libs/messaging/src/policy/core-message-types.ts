import { z } from 'zod';
import {
  PARTY_NAME_PATTERN,
  THUMBPRINT_SCHEMA,
  X25519_PUBLIC_KEY_SCHEMA,
} from '../identity/identity.schemas';
import { IDENTITY_RENEWAL_SCHEMA } from '../rollover/identity-renewal.schema';
import type { MessageTypeDefinition } from './message-type-definition';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const thumbprint = THUMBPRINT_SCHEMA;
const x25519PublicKey = X25519_PUBLIC_KEY_SCHEMA;
const agentName = z.string().regex(PARTY_NAME_PATTERN);

/** Enrollment request an agent signs with its new key and sends with its certificate to the DM. */
export const AGENT_ENROLLMENT_REQUEST_V1 = {
  type: 'agent.enrollment.request.v1',
  schema: z.strictObject({
    agentName,
    encryptionPublicKey: x25519PublicKey,
    token: z.string().min(1).max(4096).optional(),
    facts: z.record(z.string(), z.string().max(1024)).default({}),
  }),
  senders: ['unknown'],
  maxTtlMs: 10 * MINUTE_MS,
  carriesCertificate: true,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** The DM's answer to an enrollment request, encrypted to the agent since it may carry broker credentials. */
export const DM_ENROLLMENT_RESPONSE_V1 = {
  type: 'dm.enrollment.response.v1',
  schema: z.strictObject({
    status: z.enum(['accepted', 'pending', 'rejected']),
    reason: z.string().max(1024).optional(),
    brokerUser: z.string().min(1).optional(),
    brokerPassword: z.string().min(1).optional(),
    dmThumbprints: z.strictObject({ current: thumbprint, next: thumbprint.optional() }),
    retryAfterMs: z.number().int().nonnegative().optional(),
  }),
  senders: ['dm'],
  maxTtlMs: 10 * MINUTE_MS,
  carriesCertificate: false,
  encrypted: true,
} as const satisfies MessageTypeDefinition;

/** Periodic liveness report from an agent. */
export const AGENT_HEARTBEAT_V1 = {
  type: 'agent.heartbeat.v1',
  schema: z.strictObject({
    sequence: z.number().int().nonnegative(),
    uptimeMs: z.number().int().nonnegative(),
  }),
  senders: ['agent'],
  maxTtlMs: MINUTE_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** Notice from an agent that it is stopping. */
export const AGENT_SHUTDOWN_V1 = {
  type: 'agent.shutdown.v1',
  schema: z.strictObject({ reason: z.string().max(1024) }),
  senders: ['agent'],
  maxTtlMs: MINUTE_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** Identity renewal signed by an agent's current key, proving possession of the next one. */
export const AGENT_IDENTITY_RENEW_V1 = {
  type: 'agent.identity.renew.v1',
  schema: IDENTITY_RENEWAL_SCHEMA,
  senders: ['agent'],
  maxTtlMs: 10 * MINUTE_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** Identity renewal signed by the DM's current key, sent to each agent, proving possession of the next one. */
export const DM_IDENTITY_RENEW_V1 = {
  type: 'dm.identity.renew.v1',
  schema: IDENTITY_RENEWAL_SCHEMA,
  senders: ['dm'],
  maxTtlMs: 10 * MINUTE_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** The message types defined by the messaging library itself. */
export const CORE_MESSAGE_TYPES: readonly MessageTypeDefinition[] = [
  AGENT_ENROLLMENT_REQUEST_V1,
  DM_ENROLLMENT_RESPONSE_V1,
  AGENT_HEARTBEAT_V1,
  AGENT_SHUTDOWN_V1,
  AGENT_IDENTITY_RENEW_V1,
  DM_IDENTITY_RENEW_V1,
];
