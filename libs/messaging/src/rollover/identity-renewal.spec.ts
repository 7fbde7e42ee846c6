import { expect } from 'chai';
import {
  acceptIdentityRenewal,
  createIdentityRenewal,
  verifyIdentityRenewal,
} from './identity-renewal';
import type { IdentityRenewal } from './identity-renewal.schema';
import { MessagingError } from '../errors';
import { generateIdentity } from '../identity/generate-identity';
import type { Identity } from '../identity/identity';
import { EnvelopeRejectedError } from '../envelope/envelope-rejected.error';
import { payloadOf } from '../envelope/payload-of';
import {
  AGENT_HEARTBEAT_V1,
  AGENT_IDENTITY_RENEW_V1,
  DM_IDENTITY_RENEW_V1,
} from '../policy/core-message-types';
import {
  createReceiverWorld,
  rejectionOf,
  shareParties,
  trustAgent,
  type Parties,
  type ReceiverWorld,
} from '../testing/messaging-world.spec';

describe('identity renewal', () => {
  let parties: Parties;
  let next: Identity;
  let world: ReceiverWorld;

  before(async () => {
    parties = await shareParties();
    next = await generateIdentity({ name: 'web1' });
  });

  beforeEach(async () => {
    world = await createReceiverWorld(parties.dm);
    await trustAgent(world, parties.web1, 'trusted', 'agent-web1');
  });

  afterEach(async () => {
    await world.cleanup();
  });

  function heartbeatFrom(sender: Identity): Buffer {
    return world.sealerFor(sender).seal({
      type: 'agent.heartbeat.v1',
      recipient: parties.dm.thumbprint,
      payload: { sequence: 1, uptimeMs: 1 },
    }).body;
  }

  function renewalError(renewal: IdentityRenewal): MessagingError {
    try {
      verifyIdentityRenewal(renewal, parties.web1.thumbprint);
    } catch (error: unknown) {
      expect(error).to.be.instanceOf(MessagingError);
      return error as MessagingError;
    }
    throw new Error('expected the renewal to be refused');
  }

  describe('acceptIdentityRenewal', () => {
    it('should let the new key sign once staged, and retire the old key once promoted', async () => {
      const sealed = world.sealerFor(parties.web1).seal({
        type: 'agent.identity.renew.v1',
        recipient: parties.dm.thumbprint,
        payload: createIdentityRenewal(parties.web1, next),
      });
      const opened = await world.sut.open(sealed.body, { brokerUserId: 'agent-web1' });

      await acceptIdentityRenewal(
        world.trust,
        opened.sender.thumbprint,
        opened.payload as IdentityRenewal,
      );

      const fromNext = await world.sut.open(heartbeatFrom(next), { brokerUserId: 'agent-web1' });
      expect(fromNext.sender).to.deep.include({ thumbprint: next.thumbprint, role: 'agent:web1' });
      await world.sut.open(heartbeatFrom(parties.web1), { brokerUserId: 'agent-web1' });

      await world.trust.promoteNext(parties.web1.thumbprint);

      const error = await rejectionOf(
        world.sut.open(heartbeatFrom(parties.web1)),
        EnvelopeRejectedError,
      );
      expect(error.code).to.equal('SENDER_UNKNOWN');
      await world.sut.open(heartbeatFrom(next), { brokerUserId: 'agent-web1' });
    });
  });

  describe('acceptIdentityRenewal for the DM', () => {
    it('should let an agent trust the DM next key after a dm.identity.renew.v1', async () => {
      const agentWorld = await createReceiverWorld(parties.web1);
      try {
        await agentWorld.trust.upsert({
          thumbprint: parties.dm.thumbprint,
          role: 'dm',
          state: 'trusted',
          certificatePem: parties.dm.certificatePem,
        });
        const nextDm = await generateIdentity({ name: 'dm' });
        const renewal = agentWorld.sealerFor(parties.dm).seal({
          type: 'dm.identity.renew.v1',
          recipient: parties.web1.thumbprint,
          payload: createIdentityRenewal(parties.dm, nextDm),
        });
        const opened = await agentWorld.sut.open(renewal.body);

        await acceptIdentityRenewal(
          agentWorld.trust,
          opened.sender.thumbprint,
          payloadOf(opened, DM_IDENTITY_RENEW_V1),
        );

        const fromNextDm = agentWorld.sealerFor(nextDm).seal({
          type: 'dm.identity.renew.v1',
          recipient: parties.web1.thumbprint,
          payload: createIdentityRenewal(nextDm, parties.stranger),
        });
        expect((await agentWorld.sut.open(fromNextDm.body)).sender).to.deep.include({
          role: 'dm',
          thumbprint: nextDm.thumbprint,
        });
      } finally {
        await agentWorld.cleanup();
      }
    });
  });

  describe('verifyIdentityRenewal', () => {
    it('should accept a renewal built by createIdentityRenewal', () => {
      expect(() =>
        verifyIdentityRenewal(createIdentityRenewal(parties.web1, next), parties.web1.thumbprint),
      ).not.to.throw();
    });

    it('should refuse a proof not signed by the new key', () => {
      const forged = {
        ...createIdentityRenewal(parties.web1, next),
        proof: createIdentityRenewal(parties.web1, parties.stranger).proof,
      };

      const error = renewalError(forged);

      expect(error.code).to.equal('RENEWAL_INVALID');
      expect(error.context.field).to.equal('proof');
    });

    it('should refuse a renewal that names another old thumbprint than the signer', () => {
      const error = renewalError(createIdentityRenewal(parties.stranger, next));

      expect(error.context.field).to.equal('oldThumbprint');
    });

    it('should refuse a new thumbprint that does not match the new certificate', () => {
      const renewal = {
        ...createIdentityRenewal(parties.web1, next),
        newCertificatePem: parties.stranger.certificatePem,
      };

      expect(renewalError(renewal).context.field).to.equal('newThumbprint');
    });
  });

  describe('payloadOf', () => {
    it('should refuse to read a payload as another message type', async () => {
      const opened = await world.sut.open(heartbeatFrom(parties.web1), {
        brokerUserId: 'agent-web1',
      });

      expect(payloadOf(opened, AGENT_HEARTBEAT_V1).sequence).to.equal(1);
      expect(() => payloadOf(opened, AGENT_IDENTITY_RENEW_V1))
        .to.throw(MessagingError)
        .with.property('code', 'PAYLOAD_TYPE_MISMATCH');
    });
  });
});
