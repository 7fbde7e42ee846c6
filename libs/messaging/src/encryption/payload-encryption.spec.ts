import { expect } from 'chai';
import { decryptPayload, encryptPayload } from './payload-encryption';
import { MessagingError } from '../errors';
import { shareParties, type Parties } from '../testing/messaging-world.spec';

describe('payload encryption', () => {
  let parties: Parties;
  const binding = {
    senderThumbprint: 'a'.repeat(64),
    recipientThumbprint: 'b'.repeat(64),
    messageId: 'm-1',
  };
  const secret = Buffer.from('{"brokerPassword":"hunter2"}');

  before(async () => {
    parties = await shareParties();
  });

  function decryptError(run: () => Buffer): MessagingError {
    try {
      run();
    } catch (error: unknown) {
      expect(error).to.be.instanceOf(MessagingError);
      return error as MessagingError;
    }
    throw new Error('expected decryption to fail');
  }

  it('should round-trip for the recipient, given its key as text or KeyObject', () => {
    for (const key of [parties.web1.encryptionPublicKeyText, parties.web1.encryptionPublicKey]) {
      const encrypted = encryptPayload(secret, key, binding);

      expect(encrypted.ciphertext.includes(Buffer.from('hunter2'))).to.equal(false);
      expect(
        decryptPayload(encrypted, parties.web1.encryptionPrivateKey, binding).equals(secret),
      ).to.equal(true);
    }
  });

  it('should not be decryptable by another recipient', () => {
    const encrypted = encryptPayload(secret, parties.web1.encryptionPublicKeyText, binding);

    const error = decryptError(() =>
      decryptPayload(encrypted, parties.stranger.encryptionPrivateKey, binding),
    );

    expect(error.code).to.equal('DECRYPTION_FAILED');
    expect(error.context.messageId).to.equal('m-1');
  });

  for (const field of ['senderThumbprint', 'recipientThumbprint', 'messageId'] as const) {
    it(`should fail when the ${field} it was bound to differs`, () => {
      const encrypted = encryptPayload(secret, parties.web1.encryptionPublicKeyText, binding);

      const error = decryptError(() =>
        decryptPayload(encrypted, parties.web1.encryptionPrivateKey, {
          ...binding,
          [field]: 'c'.repeat(64),
        }),
      );

      expect(error.code).to.equal('DECRYPTION_FAILED');
    });
  }

  it('should use a fresh ephemeral key for every message', () => {
    const first = encryptPayload(secret, parties.web1.encryptionPublicKeyText, binding);
    const second = encryptPayload(secret, parties.web1.encryptionPublicKeyText, binding);

    expect(first.ephemeralPublicKey).not.to.equal(second.ephemeralPublicKey);
    expect(first.ciphertext.equals(second.ciphertext)).to.equal(false);
  });
});
