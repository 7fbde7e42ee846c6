import { expect } from 'chai';
import { z } from 'zod';
import { MessageTypeRegistry } from './message-type-registry';
import { AGENT_HEARTBEAT_V1, CORE_MESSAGE_TYPES } from './core-message-types';
import type { MessageTypeDefinition } from './message-type-definition';
import { MessagingError } from '../errors';

const VALID: MessageTypeDefinition = {
  type: 'dm.deployment.start.v1',
  schema: z.strictObject({}),
  senders: ['dm'],
  maxTtlMs: 120_000,
  carriesCertificate: false,
  encrypted: false,
};

describe(MessageTypeRegistry.name, () => {
  describe('register', () => {
    const invalid: Array<[string, Partial<MessageTypeDefinition>]> = [
      ['an unversioned name', { type: 'dm.deployment.start' }],
      ['an upper-case name', { type: 'DM.start.v1' }],
      ['no senders', { senders: [] }],
      ['unknown senders without the certificate', { senders: ['unknown'] }],
      ['a zero max TTL', { maxTtlMs: 0 }],
    ];
    for (const [label, override] of invalid) {
      it(`should refuse a definition with ${label}`, () => {
        const sut = new MessageTypeRegistry();

        expect(() => sut.register({ ...VALID, ...override }))
          .to.throw(MessagingError)
          .with.property('code', 'MESSAGE_TYPE_INVALID');
      });
    }

    it('should refuse registering the same type twice', () => {
      const sut = MessageTypeRegistry.of(AGENT_HEARTBEAT_V1);

      expect(() => sut.register(AGENT_HEARTBEAT_V1)).to.throw(/already registered/);
    });
  });

  describe('definitionOf', () => {
    it('should return only registered types', () => {
      const sut = MessageTypeRegistry.of(...CORE_MESSAGE_TYPES, VALID);

      expect(sut.definitionOf('dm.deployment.start.v1')?.senders).to.deep.equal(['dm']);
      expect(sut.definitionOf('constructor')).to.equal(undefined);
      expect(sut.definitionOf('agent.heartbeat.v2')).to.equal(undefined);
      expect(sut.types()).to.have.length(CORE_MESSAGE_TYPES.length + 1);
    });
  });

  describe('core message types', () => {
    it('should open only the enrollment request to unknown senders', () => {
      const open = CORE_MESSAGE_TYPES.filter((definition) =>
        definition.senders.includes('unknown'),
      );

      expect(open.map((definition) => definition.type)).to.deep.equal([
        'agent.enrollment.request.v1',
      ]);
    });
  });
});
