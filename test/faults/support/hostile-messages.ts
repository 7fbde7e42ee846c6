import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_MAX_ENVELOPE_BYTES,
  EnvelopeSealer,
  generateIdentity,
  readIdentity,
  type EnvelopeRejectionCode,
  type Identity,
} from '@flotilla/messaging';
import { createFlotillaRegistry } from '@flotilla/protocol';
import { TEST_AMQP_URL } from '../../../libs/messaging/testing';
import { BatchPublisher } from './batch-publisher';
import type { FaultWorld } from './fault-world';

/** Who publishes a kind of hostile message: the broker admin, or an agent's stolen credentials. */
type Publisher = 'admin' | 'agent';

/** One kind of hostile message, how many are thrown, and the reason the DM must refuse it with. */
interface HostileKind {
  readonly kind: string;
  readonly count: number;
  readonly reason: EnvelopeRejectionCode;
  readonly by: Publisher;
}

/**
 * The 10,000 hostile messages, in publishing order. Expired and replayed envelopes carry a real
 * agent's signature and come through that agent's broker user (a compromised agent), because the
 * DM checks the broker user before it looks at times and replays; every other kind comes from the
 * broker administrator, straight into the DM's queue.
 */
export const HOSTILE_MIX: readonly HostileKind[] = [
  { kind: 'garbage bytes', count: 3000, reason: 'ENVELOPE_MALFORMED', by: 'admin' },
  { kind: 'replayed', count: 1000, reason: 'REPLAYED', by: 'agent' },
  { kind: 'oversized', count: 20, reason: 'ENVELOPE_TOO_LARGE', by: 'admin' },
  { kind: 'JSON but not an envelope', count: 980, reason: 'ENVELOPE_SCHEMA', by: 'admin' },
  { kind: 'signed by an unknown key', count: 2000, reason: 'SENDER_UNKNOWN', by: 'admin' },
  { kind: 'tampered after signing', count: 2000, reason: 'SIGNATURE_INVALID', by: 'admin' },
  { kind: 'expired', count: 1000, reason: 'EXPIRED', by: 'agent' },
];

/** How many hostile messages the mix throws. */
export const HOSTILE_TOTAL = HOSTILE_MIX.reduce((sum, kind) => sum + kind.count, 0);

const EXPIRED_BY_MS = 10 * 60_000;
/** A byte that is never valid UTF-8, so that garbage can never parse as JSON by chance. */
const INVALID_UTF8 = 0xff;

/** Publishes the hostile mix at the DM of `world`, pretending to be (or stealing from) `host`'s agent. */
export class HostileSender {
  private readonly registry = createFlotillaRegistry();

  private constructor(
    private readonly world: FaultWorld,
    private readonly host: string,
    private readonly victim: Identity,
    private readonly stranger: Identity,
    private readonly admin: BatchPublisher,
    private readonly agent: BatchPublisher,
    private readonly brokerUser: string,
  ) {}

  /** Reads the agent's identity and broker credentials from its data directory. */
  static async open(world: FaultWorld, host: string): Promise<HostileSender> {
    const dataDir = world.agentDataDir(host);
    const victim = await readIdentity(dataDir);
    if (victim === undefined) {
      throw new Error(`no agent identity in ${dataDir}`);
    }
    const enrollment = JSON.parse(await readFile(join(dataDir, 'enrollment.json'), 'utf8')) as {
      brokerUser: string;
      brokerPassword: string;
    };
    const url = new URL(TEST_AMQP_URL);
    url.username = encodeURIComponent(enrollment.brokerUser);
    url.password = encodeURIComponent(enrollment.brokerPassword);
    return new HostileSender(
      world,
      host,
      victim,
      await generateIdentity({ name: world.agentName(host) }),
      await BatchPublisher.open(TEST_AMQP_URL),
      await BatchPublisher.open(url.toString()),
      enrollment.brokerUser,
    );
  }

  /**
   * Throws the whole mix (after the originals of the replays, which the DM accepts);
   * `onProgress` runs after every `every` messages (to sample memory).
   */
  async sendAll(onProgress: () => Promise<void>, every: number): Promise<void> {
    const replays = HOSTILE_MIX.find((kind) => kind.reason === 'REPLAYED')?.count ?? 0;
    const originals = Array.from({ length: replays }, (_, index) =>
      this.heartbeat(this.victim, Date.now(), index),
    );
    for (const body of originals) {
      await this.asAgent(body);
    }
    await this.agent.flush();
    let sent = 0;
    for (const { kind, count } of HOSTILE_MIX) {
      for (let index = 0; index < count; index++) {
        await this.send(kind, index, originals);
        if (++sent % every === 0) {
          await onProgress();
        }
      }
    }
  }

  /** Closes both broker connections. */
  async close(): Promise<void> {
    await this.admin.close();
    await this.agent.close();
  }

  private async send(kind: string, index: number, originals: readonly Buffer[]): Promise<void> {
    switch (kind) {
      case 'garbage bytes':
        return this.toQueue(
          Buffer.concat([Buffer.of(INVALID_UTF8), randomBytes(1 + (index % 512))]),
        );
      case 'oversized':
        return this.toQueue(Buffer.alloc(DEFAULT_MAX_ENVELOPE_BYTES + 1 + index, 'x'));
      case 'JSON but not an envelope':
        return this.toQueue(
          Buffer.from(JSON.stringify({ index, protected: index % 2 === 0 ? 7 : [] })),
        );
      case 'signed by an unknown key':
        return this.toQueue(this.heartbeat(this.stranger, Date.now(), index));
      case 'tampered after signing':
        return this.toQueue(tampered(this.heartbeat(this.victim, Date.now(), index)));
      case 'expired':
        return this.asAgent(this.heartbeat(this.victim, Date.now() - EXPIRED_BY_MS, index));
      case 'replayed':
        // The original went out before the mix, thousands of messages ago: the DM has handled
        // it, so this copy must be refused as a replay.
        return this.asAgent(originals[index] ?? Buffer.alloc(0));
      default:
        throw new Error(`unknown hostile kind ${kind}`);
    }
  }

  private heartbeat(signer: Identity, now: number, index: number): Buffer {
    const sealer = new EnvelopeSealer(signer, { policy: this.registry, clock: { now: () => now } });
    return sealer.seal({
      type: 'agent.heartbeat.v1',
      recipient: this.world.dmThumbprint,
      payload: { sequence: index, uptimeMs: index },
    }).body;
  }

  private async toQueue(body: Buffer): Promise<void> {
    await this.admin.publish('', this.world.broker.topology.dmInboxQueue, body);
  }

  private async asAgent(body: Buffer): Promise<void> {
    const { topology } = this.world.broker;
    await this.agent.publish(
      topology.dmExchange,
      topology.agentToDmRoutingKey(this.world.agentName(this.host), 'heartbeat'),
      body,
      { userId: this.brokerUser },
    );
  }
}

/** The envelope with one character of its signed payload changed. */
function tampered(body: Buffer): Buffer {
  const wire = JSON.parse(body.toString()) as { payload: string };
  const first = wire.payload[0] === 'A' ? 'B' : 'A';
  wire.payload = `${first}${wire.payload.slice(1)}`;
  return Buffer.from(JSON.stringify(wire));
}
