import { expect } from 'chai';
import { EnvelopeSealer } from './envelope-sealer';
import { MessagingError } from '../errors';
import { verifyBytes } from '../identity/signature';
import { MessageTypeRegistry } from '../policy/message-type-registry';
import { CORE_MESSAGE_TYPES } from '../policy/core-message-types';
import { ManualClock, shareParties, type Parties } from '../testing/messaging-world.spec';

describe(EnvelopeSealer.name, () => {
  let parties: Parties;
  let clock: ManualClock;
  let sut: EnvelopeSealer;

  before(async () => {
    parties = await shareParties();
  });

  beforeEach(() => {
    clock = new ManualClock();
    sut = new EnvelopeSealer(parties.web1, {
      policy: MessageTypeRegistry.of(...CORE_MESSAGE_TYPES),
      clock,
    });
  });

  function sealError(input: Parameters<EnvelopeSealer['seal']>[0]): MessagingError {
    try {
      sut.seal(input);
    } catch (error: unknown) {
      expect(error).to.be.instanceOf(MessagingError);
      return error as MessagingError;
    }
    throw new Error('expected seal to refuse');
  }

  describe('seal', () => {
    it('should sign the exact header and payload bytes it ships (JWS signing input)', () => {
      const sealed = sut.seal({
        type: 'agent.shutdown.v1',
        recipient: parties.dm.thumbprint,
        payload: { reason: 'bye' },
        ttlMs: 5000,
      });

      const wire = JSON.parse(sealed.body.toString()) as {
        protected: string;
        payload: string;
        sig: string;
      };
      const header = JSON.parse(Buffer.from(wire.protected, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      expect(header).to.deep.include({
        v: 1,
        typ: 'agent.shutdown.v1',
        alg: 'EdDSA',
        kid: parties.web1.thumbprint,
        iss: 'web1',
        aud: parties.dm.thumbprint,
        id: sealed.messageId,
        iat: clock.time,
        exp: clock.time + 5000,
        enc: 'none',
      });
      expect(sealed).to.deep.include({
        type: 'agent.shutdown.v1',
        issuedAt: clock.time,
        expiresAt: clock.time + 5000,
      });
      const input = Buffer.from(`${wire.protected}.${wire.payload}`);
      expect(
        verifyBytes(input, Buffer.from(wire.sig, 'base64url'), parties.web1.publicKey),
      ).to.equal(true);
    });

    it('should give every envelope a fresh message id', () => {
      const input = {
        type: 'agent.shutdown.v1',
        recipient: parties.dm.thumbprint,
        payload: { reason: 'x' },
      };

      expect(sut.seal(input).messageId).not.to.equal(sut.seal(input).messageId);
    });

    it('should refuse a type that is not registered', () => {
      expect(
        sealError({ type: 'agent.exec.v1', recipient: parties.dm.thumbprint, payload: {} }).code,
      ).to.equal('SEAL_INVALID');
    });

    it('should refuse a payload that breaks the type schema, naming the field', () => {
      const error = sealError({
        type: 'agent.heartbeat.v1',
        recipient: parties.dm.thumbprint,
        payload: { sequence: 'one', uptimeMs: 1 },
      });

      expect(error.message).to.contain('sequence');
    });

    it('should refuse a TTL above the type maximum', () => {
      const error = sealError({
        type: 'agent.heartbeat.v1',
        recipient: parties.dm.thumbprint,
        payload: { sequence: 1, uptimeMs: 1 },
        ttlMs: 61_000,
      });

      expect(error.message).to.contain('ttlMs');
    });

    it('should refuse to send a secret-bearing type without an encryption key', () => {
      const error = sealError({
        type: 'dm.enrollment.response.v1',
        recipient: parties.web1.thumbprint,
        payload: { status: 'pending', dmThumbprints: { current: parties.dm.thumbprint } },
      });

      expect(error.message).to.contain('encryptFor');
    });

    it('should refuse to attach the certificate to a type that forbids it', () => {
      const error = sealError({
        type: 'agent.shutdown.v1',
        recipient: parties.dm.thumbprint,
        payload: { reason: 'x' },
        includeCertificate: true,
      });

      expect(error.message).to.contain('certificate');
    });

    it('should refuse a recipient that is not a thumbprint', () => {
      const error = sealError({
        type: 'agent.shutdown.v1',
        recipient: 'dm',
        payload: { reason: 'x' },
      });

      expect(error.message).to.contain('aud');
    });
  });
});
