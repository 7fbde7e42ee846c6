import { expect } from 'chai';
import { EnvelopeOpener } from './envelope-opener';
import { EnvelopeRejectedError, type EnvelopeRejectionCode } from './envelope-rejected.error';
import type { SealedEnvelope } from './envelope-sealer';
import type { Identity } from '../identity/identity';
import { CORE_MESSAGE_TYPES } from '../policy/core-message-types';
import {
  createReceiverWorld,
  laxSealer,
  rejectionOf,
  rewriteEnvelope,
  shareParties,
  trustAgent,
  type Parties,
  type ReceiverWorld,
} from '../testing/messaging-world.spec';

const RENEWAL_SAMPLE = {
  oldThumbprint: 'a'.repeat(64),
  newThumbprint: 'b'.repeat(64),
  newCertificatePem: 'pem',
  nonce: 'n'.repeat(22),
  proof: 'p',
};

const SAMPLE_PAYLOADS: Record<string, unknown> = {
  'agent.enrollment.request.v1': { agentName: 'stranger', encryptionPublicKey: 'A'.repeat(43) },
  'dm.enrollment.response.v1': { status: 'pending', dmThumbprints: { current: 'a'.repeat(64) } },
  'agent.heartbeat.v1': { sequence: 0, uptimeMs: 0 },
  'agent.shutdown.v1': { reason: 'maintenance' },
  'dm.identity.renew.v1': RENEWAL_SAMPLE,
  'agent.identity.renew.v1': RENEWAL_SAMPLE,
};

function rewriteHeader(
  sealed: SealedEnvelope,
  change: (header: Record<string, unknown>) => void,
): Buffer {
  return rewriteEnvelope(sealed.body, ({ header }) => change(header));
}

describe(`${EnvelopeOpener.name} enrollment and encryption`, () => {
  let parties: Parties;
  let world: ReceiverWorld;

  before(async () => {
    parties = await shareParties();
  });

  beforeEach(async () => {
    world = await createReceiverWorld(parties.dm);
  });

  afterEach(async () => {
    await world.cleanup();
  });

  function enrollmentFrom(sender: Identity): SealedEnvelope {
    return world.sealerFor(sender).seal({
      type: 'agent.enrollment.request.v1',
      recipient: parties.dm.thumbprint,
      payload: { agentName: sender.name, encryptionPublicKey: sender.encryptionPublicKeyText },
    });
  }

  async function expectRejected(
    body: Buffer,
    code: EnvelopeRejectionCode,
    sut = world.sut,
  ): Promise<void> {
    const error = await rejectionOf(sut.open(body), EnvelopeRejectedError);
    expect(error.code, error.message).to.equal(code);
  }

  describe('open', () => {
    it('should accept an enrollment request from an unknown sender and expose its certificate', async () => {
      const opened = await world.sut.open(enrollmentFrom(parties.stranger).body);

      expect(opened.sender).to.deep.include({
        role: 'unknown',
        state: 'unknown',
        name: 'stranger',
      });
      expect(opened.sender.thumbprint).to.equal(parties.stranger.thumbprint);
      expect(opened.sender.certificatePem?.replace(/\s/g, '')).to.equal(
        parties.stranger.certificatePem.replace(/\s/g, ''),
      );
      expect(opened.payload).to.deep.equal({
        agentName: 'stranger',
        encryptionPublicKey: parties.stranger.encryptionPublicKeyText,
        facts: {},
      });
    });

    it('should accept a repeated enrollment request from a pending sender', async () => {
      await trustAgent(world, parties.stranger, 'pending');

      const opened = await world.sut.open(enrollmentFrom(parties.stranger).body);

      expect(opened.sender.state).to.equal('pending');
    });

    it('should reject an enrollment request from a revoked sender', async () => {
      await trustAgent(world, parties.stranger, 'revoked');
      await expectRejected(enrollmentFrom(parties.stranger).body, 'SENDER_REVOKED');
    });

    it('should reject with CERTIFICATE_MISMATCH when the carried certificate is not the signer', async () => {
      const body = rewriteHeader(enrollmentFrom(parties.stranger), (header) => {
        header.x5c = parties.web1.certificateDer.toString('base64');
      });
      await expectRejected(body, 'CERTIFICATE_MISMATCH');
    });

    it('should reject with SIGNATURE_INVALID when a stolen certificate and thumbprint are signed by another key', async () => {
      const body = rewriteHeader(enrollmentFrom(parties.stranger), (header) => {
        header.x5c = parties.web1.certificateDer.toString('base64');
        header.kid = parties.web1.thumbprint;
        header.iss = 'web1';
      });
      await expectRejected(body, 'SIGNATURE_INVALID');
    });

    it('should reject with SENDER_NAME_MISMATCH when the signed name is not the certificate CN', async () => {
      const body = rewriteHeader(enrollmentFrom(parties.stranger), (header) => {
        header.iss = 'dm';
      });
      await expectRejected(body, 'SENDER_NAME_MISMATCH');
    });

    it('should reject with ENVELOPE_SCHEMA when an enrollment request carries no certificate', async () => {
      const body = rewriteHeader(enrollmentFrom(parties.stranger), (header) => {
        delete header.x5c;
      });
      await expectRejected(body, 'ENVELOPE_SCHEMA');
    });

    it('should reject with ENVELOPE_SCHEMA when a non-enrollment message carries a certificate', async () => {
      await trustAgent(world, parties.web1);
      const heartbeat = world.sealerFor(parties.web1).seal({
        type: 'agent.heartbeat.v1',
        recipient: parties.dm.thumbprint,
        payload: SAMPLE_PAYLOADS['agent.heartbeat.v1'],
      });
      const body = rewriteHeader(heartbeat, (header) => {
        header.x5c = parties.web1.certificateDer.toString('base64');
      });
      await expectRejected(body, 'ENVELOPE_SCHEMA');
    });

    for (const definition of CORE_MESSAGE_TYPES.filter(
      (type) => !type.senders.includes('unknown'),
    )) {
      it(`should reject ${definition.type} from an unknown sender with SENDER_UNKNOWN`, async () => {
        const sealed = world.sealerFor(parties.stranger).seal({
          type: definition.type,
          recipient: parties.dm.thumbprint,
          payload: SAMPLE_PAYLOADS[definition.type],
          ...(definition.encrypted ? { encryptFor: parties.dm.encryptionPublicKey } : {}),
        });
        await expectRejected(sealed.body, 'SENDER_UNKNOWN');
      });
    }
  });

  describe('open with an encrypted payload', () => {
    let agentWorld: ReceiverWorld;

    beforeEach(async () => {
      agentWorld = await createReceiverWorld(parties.web1);
      await agentWorld.trust.upsert({
        thumbprint: parties.dm.thumbprint,
        role: 'dm',
        state: 'trusted',
        certificatePem: parties.dm.certificatePem,
      });
    });

    afterEach(async () => {
      await agentWorld.cleanup();
    });

    function responseTo(encryptFor: string): SealedEnvelope {
      return agentWorld.sealerFor(parties.dm).seal({
        type: 'dm.enrollment.response.v1',
        recipient: parties.web1.thumbprint,
        payload: {
          status: 'accepted',
          brokerUser: 'agent-web1',
          brokerPassword: 's3cret-broker-password',
          dmThumbprints: { current: parties.dm.thumbprint },
        },
        encryptFor,
      });
    }

    it('should decrypt the payload for the recipient it was encrypted to', async () => {
      const sealed = responseTo(parties.web1.encryptionPublicKeyText);

      const opened = await agentWorld.sut.open(sealed.body);

      expect(opened.payload).to.deep.include({ brokerPassword: 's3cret-broker-password' });
      const wire = JSON.parse(sealed.body.toString()) as { payload: string };
      expect(Buffer.from(wire.payload, 'base64url').toString('latin1')).not.to.contain('s3cret');
    });

    it('should reject with DECRYPTION_FAILED when encrypted to another party key', async () => {
      await expectRejected(
        responseTo(parties.stranger.encryptionPublicKeyText).body,
        'DECRYPTION_FAILED',
        agentWorld.sut,
      );
    });

    it('should reject with PAYLOAD_NOT_ENCRYPTED when a secret-bearing type arrives in clear', async () => {
      const clear = laxSealer(agentWorld, parties.dm, { encrypted: false }).seal({
        type: 'dm.enrollment.response.v1',
        recipient: parties.web1.thumbprint,
        payload: { status: 'pending', dmThumbprints: { current: parties.dm.thumbprint } },
      });
      await expectRejected(clear.body, 'PAYLOAD_NOT_ENCRYPTED', agentWorld.sut);
    });
  });
});
