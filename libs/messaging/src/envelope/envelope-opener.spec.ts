import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { EnvelopeOpener } from './envelope-opener';
import { EnvelopeRejectedError, type EnvelopeRejectionCode } from './envelope-rejected.error';
import { z } from 'zod';
import type { SealedEnvelope } from './envelope-sealer';
import { FileReplayCache } from '../replay/file-replay-cache';
import {
  createReceiverWorld,
  laxSealer,
  rewriteEnvelope,
  shareParties,
  trustAgent,
  type Parties,
  type ReceiverWorld,
  rejectionOf,
} from '../testing/messaging-world.spec';

const HEARTBEAT = { sequence: 1, uptimeMs: 1000 };
const run = promisify(execFile);

/** Revokes `thumbprint` in the file trust store at `path` from a separate Node process (as the CLI does). */
async function revokeInAnotherProcess(path: string, thumbprint: string): Promise<void> {
  const store = join(__dirname, '..', 'trust', 'file-trust-store.ts');
  const script = [
    `const { FileTrustStore } = require(${JSON.stringify(store)});`,
    `new FileTrustStore(${JSON.stringify(path)}).setState(${JSON.stringify(thumbprint)}, 'revoked')`,
    '.catch((error) => { console.error(error); process.exit(1); });',
  ].join('');
  await run(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script]);
}

const envelopeRejection = (promise: Promise<unknown>) =>
  rejectionOf(promise, EnvelopeRejectedError);

function rewrite(
  sealed: SealedEnvelope,
  change: (wire: Record<string, string>, header: Record<string, unknown>) => void,
): Buffer {
  return rewriteEnvelope(sealed.body, ({ wire, header }) => change(wire, header));
}

describe(EnvelopeOpener.name, () => {
  let parties: Parties;
  let world: ReceiverWorld;

  before(async () => {
    parties = await shareParties();
  });

  beforeEach(async () => {
    world = await createReceiverWorld(parties.dm);
    await trustAgent(world, parties.web1);
  });

  afterEach(async () => {
    await world.cleanup();
  });

  function heartbeatFrom(sender = parties.web1, options: { ttlMs?: number } = {}): SealedEnvelope {
    return world.sealerFor(sender).seal({
      type: 'agent.heartbeat.v1',
      recipient: parties.dm.thumbprint,
      payload: HEARTBEAT,
      ...options,
    });
  }

  async function expectRejected(
    body: Buffer,
    code: EnvelopeRejectionCode,
    context = {},
  ): Promise<EnvelopeRejectedError> {
    const error = await envelopeRejection(world.sut.open(body, context));
    expect(error.code).to.equal(code);
    return error;
  }

  describe('open', () => {
    it('should return the verified sender and payload when the envelope is valid', async () => {
      const sealed = world.sealerFor(parties.web1).seal({
        type: 'agent.heartbeat.v1',
        recipient: parties.dm.thumbprint,
        payload: HEARTBEAT,
        correlationId: 'corr-1',
        jobId: 'job-1',
      });

      const opened = await world.sut.open(sealed.body);

      expect(opened).to.deep.include({
        type: 'agent.heartbeat.v1',
        messageId: sealed.messageId,
        correlationId: 'corr-1',
        jobId: 'job-1',
        issuedAt: sealed.issuedAt,
        expiresAt: sealed.expiresAt,
        payload: HEARTBEAT,
      });
      expect(opened.sender).to.deep.equal({
        name: 'web1',
        thumbprint: parties.web1.thumbprint,
        role: 'agent:web1',
        state: 'trusted',
      });
    });

    it('should verify envelopes signed with an RSA identity', async () => {
      await trustAgent(world, parties.rsaAgent);

      const opened = await world.sut.open(heartbeatFrom(parties.rsaAgent).body);

      expect(opened.sender.role).to.equal('agent:db1');
    });

    it('should reject with ENVELOPE_TOO_LARGE when the body exceeds maxBytes', async () => {
      const small = new EnvelopeOpener(parties.dm, world.trust, world.replay, world.registry, {
        maxBytes: 100,
        clock: world.clock,
      });

      const error = await envelopeRejection(small.open(heartbeatFrom().body));

      expect(error.code).to.equal('ENVELOPE_TOO_LARGE');
    });

    it('should reject with ENVELOPE_MALFORMED when the body is not JSON', async () => {
      await expectRejected(Buffer.from('{"protected":'), 'ENVELOPE_MALFORMED');
    });

    it('should reject with ENVELOPE_SCHEMA when the wire object has an extra field', async () => {
      const body = rewrite(heartbeatFrom(), (wire) => {
        wire.extra = 'x';
      });
      await expectRejected(body, 'ENVELOPE_SCHEMA');
    });

    it('should reject with ENVELOPE_SCHEMA when the wire object carries a __proto__ key', async () => {
      const body = heartbeatFrom().body.toString().replace(/}$/, ',"__proto__":{"polluted":true}}');
      await expectRejected(Buffer.from(body), 'ENVELOPE_SCHEMA');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('should reject with ENVELOPE_SCHEMA naming the field when a header field is invalid', async () => {
      const body = rewrite(heartbeatFrom(), (_, header) => {
        header.aud = 'not-a-thumbprint';
      });
      const error = await expectRejected(body, 'ENVELOPE_SCHEMA');
      expect(error.context.field).to.equal('protected.aud');
      expect(error.messageId).to.be.a('string');
    });

    it('should reject with VERSION_TOO_OLD when the version is below the minimum', async () => {
      const body = rewrite(heartbeatFrom(), (_, header) => {
        header.v = 0;
      });
      await expectRejected(body, 'VERSION_TOO_OLD');
    });

    it('should reject with VERSION_TOO_OLD when the receiver requires a newer version', async () => {
      const strict = new EnvelopeOpener(parties.dm, world.trust, world.replay, world.registry, {
        minProtocolVersion: 2,
        clock: world.clock,
      });

      const error = await envelopeRejection(strict.open(heartbeatFrom().body));

      expect(error.code).to.equal('VERSION_TOO_OLD');
    });

    it('should reject with TYPE_NOT_ALLOWED when the type is not registered', async () => {
      const body = rewrite(heartbeatFrom(), (_, header) => {
        header.typ = 'agent.exec.shell.v1';
      });
      await expectRejected(body, 'TYPE_NOT_ALLOWED');
    });

    it('should reject with TYPE_NOT_ALLOWED when the sender role may not send the type', async () => {
      const sealed = world.sealerFor(parties.web1).seal({
        type: 'dm.enrollment.response.v1',
        recipient: parties.dm.thumbprint,
        payload: { status: 'accepted', dmThumbprints: { current: parties.dm.thumbprint } },
        encryptFor: parties.dm.encryptionPublicKey,
      });
      await expectRejected(sealed.body, 'TYPE_NOT_ALLOWED');
    });

    it('should reject with SENDER_UNKNOWN when a non-enrollment comes from an unknown thumbprint', async () => {
      await expectRejected(heartbeatFrom(parties.stranger).body, 'SENDER_UNKNOWN');
    });

    it('should reject with SENDER_NOT_TRUSTED when the sender is pending', async () => {
      await trustAgent(world, parties.web1, 'pending');
      await expectRejected(heartbeatFrom().body, 'SENDER_NOT_TRUSTED');
    });

    it('should reject the very next message with SENDER_REVOKED once the sender is revoked', async () => {
      await world.sut.open(heartbeatFrom().body);

      await world.trust.setState(parties.web1.thumbprint, 'revoked');

      await expectRejected(heartbeatFrom().body, 'SENDER_REVOKED');
    });

    it('should reject the very next message with SENDER_REVOKED once another process revoked the sender', async () => {
      await world.sut.open(heartbeatFrom().body);

      await revokeInAnotherProcess(join(world.dir, 'trust.json'), parties.web1.thumbprint);

      await expectRejected(heartbeatFrom().body, 'SENDER_REVOKED');
    });

    it('should reject with SENDER_NAME_MISMATCH when the signed name is not the role on record', async () => {
      const body = rewrite(heartbeatFrom(), (_, header) => {
        header.iss = 'web2';
      });
      await expectRejected(body, 'SENDER_NAME_MISMATCH');
    });

    it('should reject with SIGNATURE_INVALID when the payload is tampered with', async () => {
      const body = rewrite(heartbeatFrom(), (wire) => {
        wire.payload = Buffer.from(JSON.stringify({ sequence: 2, uptimeMs: 1000 })).toString(
          'base64url',
        );
      });
      await expectRejected(body, 'SIGNATURE_INVALID');
    });

    it('should reject with SIGNATURE_INVALID when the header is tampered with', async () => {
      const body = rewrite(heartbeatFrom(), (_, header) => {
        header.jobId = 'injected';
      });
      await expectRejected(body, 'SIGNATURE_INVALID');
    });

    it('should reject with SIGNATURE_INVALID when another key signed under a trusted thumbprint', async () => {
      const forged = world
        .sealerFor(parties.stranger)
        .seal({ type: 'agent.heartbeat.v1', recipient: parties.dm.thumbprint, payload: HEARTBEAT });
      const body = rewrite(forged, (_, header) => {
        header.kid = parties.web1.thumbprint;
        header.iss = 'web1';
      });
      await expectRejected(body, 'SIGNATURE_INVALID');
    });

    it('should reject with SIGNATURE_INVALID when the header alg disagrees with the key on record', async () => {
      const body = rewrite(heartbeatFrom(), (_, header) => {
        header.alg = 'PS256';
      });
      const error = await expectRejected(body, 'SIGNATURE_INVALID');
      expect(error.context.field).to.equal('protected.alg');
    });

    it('should reject with WRONG_RECIPIENT when the envelope was sealed for another party', async () => {
      const sealed = world.sealerFor(parties.web1).seal({
        type: 'agent.heartbeat.v1',
        recipient: parties.stranger.thumbprint,
        payload: HEARTBEAT,
      });
      await expectRejected(sealed.body, 'WRONG_RECIPIENT');
    });

    it('should accept an envelope addressed to a thumbprint listed in alsoRecipientThumbprints', async () => {
      const renewedDm = new EnvelopeOpener(
        parties.stranger,
        world.trust,
        world.replay,
        world.registry,
        {
          alsoRecipientThumbprints: [parties.dm.thumbprint],
          clock: world.clock,
        },
      );

      expect((await renewedDm.open(heartbeatFrom().body)).sender.name).to.equal('web1');
    });

    it('should reject with BROKER_USER_MISMATCH when user_id differs from the broker user on record', async () => {
      await trustAgent(world, parties.web1, 'trusted', 'agent-web1');

      await expectRejected(heartbeatFrom().body, 'BROKER_USER_MISMATCH', {
        brokerUserId: 'agent-web2',
      });
      await expectRejected(heartbeatFrom().body, 'BROKER_USER_MISMATCH', {});
      const opened = await world.sut.open(heartbeatFrom().body, { brokerUserId: 'agent-web1' });
      expect(opened.sender.role).to.equal('agent:web1');
    });

    it('should reject with EXPIRED when now is past expiry plus skew', async () => {
      const sealed = heartbeatFrom(parties.web1, { ttlMs: 10_000 });
      world.clock.time += 10_000 + 30_000;
      await expectRejected(sealed.body, 'EXPIRED');
    });

    it('should accept a message expired by less than the clock skew', async () => {
      const sealed = heartbeatFrom(parties.web1, { ttlMs: 10_000 });
      world.clock.time += 10_000 + 29_999;
      expect((await world.sut.open(sealed.body)).messageId).to.equal(sealed.messageId);
    });

    it('should reject with NOT_YET_VALID when issued beyond the skew in the future', async () => {
      const sealed = heartbeatFrom();
      world.clock.time -= 30_001;
      await expectRejected(sealed.body, 'NOT_YET_VALID');
    });

    it('should reject with TTL_TOO_LONG when exp - iat exceeds the type maximum', async () => {
      const hourLong = laxSealer(world, parties.web1, { maxTtlMs: 3_600_000 });
      const sealed = hourLong.seal({
        type: 'agent.heartbeat.v1',
        recipient: parties.dm.thumbprint,
        payload: HEARTBEAT,
        ttlMs: 3_600_000,
      });
      await expectRejected(sealed.body, 'TTL_TOO_LONG');
    });

    it('should reject with REPLAYED when the message was remembered as handled', async () => {
      const sealed = heartbeatFrom();
      const opened = await world.sut.open(sealed.body);
      await world.sut.markHandled(opened);

      await expectRejected(sealed.body, 'REPLAYED');
    });

    it('should reject with SIGNATURE_INVALID, not REPLAYED, when a handled id comes back tampered', async () => {
      const sealed = heartbeatFrom();
      await world.sut.markHandled(await world.sut.open(sealed.body));
      const body = rewrite(sealed, (wire) => {
        wire.payload = Buffer.from(JSON.stringify({ sequence: 2, uptimeMs: 1000 })).toString(
          'base64url',
        );
      });

      await expectRejected(body, 'SIGNATURE_INVALID');
    });

    it('should accept a redelivery whose handler did not succeed (id not remembered)', async () => {
      const sealed = heartbeatFrom();
      await world.sut.open(sealed.body);

      expect((await world.sut.open(sealed.body)).messageId).to.equal(sealed.messageId);
    });

    it('should reject with REPLAYED after the replay cache is reloaded from disk', async () => {
      const sealed = heartbeatFrom();
      await world.sut.markHandled(await world.sut.open(sealed.body));
      const reloaded = new FileReplayCache({ path: `${world.dir}/replay.log`, clock: world.clock });
      const restarted = new EnvelopeOpener(parties.dm, world.trust, reloaded, world.registry, {
        clock: world.clock,
      });

      const error = await envelopeRejection(restarted.open(sealed.body));
      await reloaded.close();

      expect(error.code).to.equal('REPLAYED');
      expect(error.messageId).to.equal(sealed.messageId);
    });

    it('should reject with PAYLOAD_SCHEMA naming the field when the payload breaks its schema', async () => {
      const body = rewriteSigned({ sequence: -1, uptimeMs: 5 });
      const error = await expectRejected(body, 'PAYLOAD_SCHEMA');
      expect(error.context.field).to.equal('payload.sequence');
    });
  });

  function rewriteSigned(payload: unknown): Buffer {
    return laxSealer(world, parties.web1, { schema: z.unknown() }).seal({
      type: 'agent.heartbeat.v1',
      recipient: parties.dm.thumbprint,
      payload,
    }).body;
  }
});
