// Shared fixtures for the messaging unit specs (named .spec.ts so the build leaves it out).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Identity } from '../identity/identity';
import { generateIdentity } from '../identity/generate-identity';
import { EnvelopeOpener, type EnvelopeOpenerOptions } from '../envelope/envelope-opener';
import { EnvelopeSealer } from '../envelope/envelope-sealer';
import { MessageTypeRegistry } from '../policy/message-type-registry';
import { CORE_MESSAGE_TYPES } from '../policy/core-message-types';
import { FileReplayCache } from '../replay/file-replay-cache';
import { FileTrustStore } from '../trust/file-trust-store';
import type { Clock } from '../support/clock';
import type { MessagePolicy, MessageTypeDefinition } from '../policy/message-type-definition';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 10, 23, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }
}

/** Identities generated once per run: generating RSA keys is the slow part. */
export interface Parties {
  dm: Identity;
  web1: Identity;
  rsaAgent: Identity;
  stranger: Identity;
}

let parties: Promise<Parties> | undefined;

/** Returns the shared parties: a DM, an Ed25519 agent `web1`, an RSA agent `db1`, and a stranger. */
export function shareParties(): Promise<Parties> {
  parties ??= (async () => ({
    dm: await generateIdentity({ name: 'dm' }),
    web1: await generateIdentity({ name: 'web1' }),
    rsaAgent: await generateIdentity({ name: 'db1', keyType: 'rsa' }),
    stranger: await generateIdentity({ name: 'stranger' }),
  }))();
  return parties;
}

/** A receiver (the DM by default) with file-backed trust and replay stores in a temp dir. */
export interface ReceiverWorld {
  dir: string;
  clock: ManualClock;
  registry: MessageTypeRegistry;
  trust: FileTrustStore;
  replay: FileReplayCache;
  sut: EnvelopeOpener;
  sealerFor(identity: Identity): EnvelopeSealer;
  cleanup(): Promise<void>;
}

/** Builds a receiver world for `receiver`, using the core message types. */
export async function createReceiverWorld(
  receiver: Identity,
  options: EnvelopeOpenerOptions = {},
): Promise<ReceiverWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-messaging-'));
  const clock = new ManualClock();
  const registry = MessageTypeRegistry.of(...CORE_MESSAGE_TYPES);
  const trust = new FileTrustStore(join(dir, 'trust.json'));
  const replay = new FileReplayCache({ path: join(dir, 'replay.log'), clock });
  const sut = new EnvelopeOpener(receiver, trust, replay, registry, { clock, ...options });
  return {
    dir,
    clock,
    registry,
    trust,
    replay,
    sut,
    sealerFor: (identity) => new EnvelopeSealer(identity, { policy: registry, clock }),
    cleanup: async () => {
      await replay.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Puts an agent on record in a trust store with the given state. */
export async function trustAgent(
  world: ReceiverWorld,
  agent: Identity,
  state: 'pending' | 'trusted' | 'revoked' = 'trusted',
  brokerUser?: string,
): Promise<void> {
  await world.trust.upsert({
    thumbprint: agent.thumbprint,
    role: `agent:${agent.name}`,
    state,
    certificatePem: agent.certificatePem,
    encryptionPublicKey: agent.encryptionPublicKeyText,
    ...(brokerUser === undefined ? {} : { brokerUser }),
  });
}

/** Awaits a promise that must reject with an instance of `type`, and returns that error. */
export async function rejectionOf<T extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof type) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected a rejection with ${type.name}`);
}

/** The decoded parts of a wire envelope that a test may tamper with. */
export interface EnvelopeParts {
  wire: Record<string, string>;
  header: Record<string, unknown>;
}

/** Re-encodes an envelope after `change` edited its wire object or decoded header (signature kept). */
export function rewriteEnvelope(body: Buffer, change: (parts: EnvelopeParts) => void): Buffer {
  const wire = JSON.parse(body.toString()) as Record<string, string>;
  const header = JSON.parse(Buffer.from(wire.protected ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
  change({ wire, header });
  wire.protected = Buffer.from(JSON.stringify(header)).toString('base64url');
  return Buffer.from(JSON.stringify(wire));
}

/** A sealer whose policy overrides fields of the registered definitions, to forge what a real one refuses. */
export function laxSealer(
  world: ReceiverWorld,
  sender: Identity,
  override: Partial<MessageTypeDefinition>,
): EnvelopeSealer {
  const policy: MessagePolicy = {
    definitionOf: (type) => {
      const definition = world.registry.definitionOf(type);
      return definition === undefined ? undefined : { ...definition, ...override };
    },
  };
  return new EnvelopeSealer(sender, { clock: world.clock, policy });
}
