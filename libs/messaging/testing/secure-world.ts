import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  EnvelopeOpener,
  EnvelopeSealer,
  FileTrustStore,
  MemoryReplayCache,
  MessageTypeRegistry,
  generateIdentity,
  type Clock,
  type Identity,
  type MessageTypeDefinition,
  type TrustState,
} from '@flotilla/messaging';

/** An identity of the secure world (an `Identity` of @flotilla/messaging). */
export type SecureWorldIdentity = Identity;

/** A report an agent sends to the DM in transport tests. */
export const TEST_AGENT_REPORT_V1 = {
  type: 'test.agent.report.v1',
  schema: z.strictObject({ sequence: z.number().int().nonnegative(), note: z.string().max(2048) }),
  senders: ['agent'],
  maxTtlMs: 10 * 60_000,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** A command the DM sends to an agent in transport tests. */
export const TEST_DM_COMMAND_V1 = {
  type: 'test.dm.command.v1',
  schema: z.strictObject({ action: z.string() }),
  senders: ['dm'],
  maxTtlMs: 10 * 60_000,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/**
 * The parties of an envelope test: a DM that trusts agent `web-1` (publishing as `brokerUser`) and
 * has revoked agent `web-9`, plus an `intruder` it has never heard of; temp files removed by `cleanup()`.
 */
export class SecureWorld {
  readonly registry = MessageTypeRegistry.of(TEST_AGENT_REPORT_V1, TEST_DM_COMMAND_V1);
  readonly replayCache = new MemoryReplayCache();

  private constructor(
    private readonly directory: string,
    readonly trustStore: FileTrustStore,
    readonly dm: Identity,
    readonly agent: Identity,
    readonly revokedAgent: Identity,
    readonly intruder: Identity,
  ) {}

  /** Creates the identities and the DM's trust store. */
  static async create(brokerUser: string): Promise<SecureWorld> {
    const directory = await mkdtemp(join(tmpdir(), 'flotilla-secure-world-'));
    const [dm, agent, revokedAgent, intruder] = await Promise.all(
      ['dm', 'web-1', 'web-9', 'intruder'].map((name) => generateIdentity({ name })),
    );
    const world = new SecureWorld(
      directory,
      new FileTrustStore(join(directory, 'trust.json')),
      dm,
      agent,
      revokedAgent,
      intruder,
    );
    await world.putOnRecord(world.agent, 'trusted', brokerUser);
    await world.putOnRecord(world.revokedAgent, 'revoked', brokerUser);
    return world;
  }

  /** The DM's opener (what its secure consumer verifies with). */
  dmOpener(): EnvelopeOpener {
    return new EnvelopeOpener(this.dm, this.trustStore, this.replayCache, this.registry);
  }

  /** A sealer signing as `sender`, optionally with another clock (to make expired envelopes). */
  sealerFor(sender: Identity, clock?: Clock): EnvelopeSealer {
    return new EnvelopeSealer(sender, {
      policy: this.registry,
      ...(clock === undefined ? {} : { clock }),
    });
  }

  /** Removes the temp files. */
  async cleanup(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }

  private async putOnRecord(agent: Identity, state: TrustState, brokerUser: string): Promise<void> {
    await this.trustStore.upsert({
      thumbprint: agent.thumbprint,
      role: `agent:${agent.name}`,
      state,
      certificatePem: agent.certificatePem,
      encryptionPublicKey: agent.encryptionPublicKeyText,
      brokerUser,
    });
  }
}

/** Re-encodes an envelope body after `change` edited its wire object or decoded protected header. */
export function tamperEnvelope(
  body: Buffer,
  change: (wire: Record<string, string>, header: Record<string, unknown>) => void,
): Buffer {
  const wire = JSON.parse(body.toString()) as Record<string, string>;
  const header = JSON.parse(Buffer.from(wire.protected ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
  change(wire, header);
  wire.protected = Buffer.from(JSON.stringify(header)).toString('base64url');
  return Buffer.from(JSON.stringify(wire));
}
