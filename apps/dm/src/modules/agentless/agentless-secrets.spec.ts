import { expect } from 'chai';
import { decryptPayload, generateIdentity, type Identity } from '@flotilla/messaging';
import { AgentlessSecrets } from './agentless-secrets';

const INSTANCE_ID = '0b7e4c1e-3a51-4c55-8f3b-6d0d0a4e9b21';
const JOB_ID = '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a';

describe(AgentlessSecrets.name, () => {
  let dm: Identity;
  let proxy: Identity;
  let sut: AgentlessSecrets;

  before(async () => {
    [dm, proxy] = await Promise.all([
      generateIdentity({ name: 'dm' }),
      generateIdentity({ name: 'proxy-1' }),
    ]);
    sut = new AgentlessSecrets(dm);
  });

  describe('forProxy', () => {
    it('should hand the proxy, for one job, the password stored sealed to the DM', () => {
      const sealed = sut.seal('s3cret pass', INSTANCE_ID);

      const credential = sut.forProxy(
        sealed,
        INSTANCE_ID,
        {
          name: 'proxy-1',
          thumbprint: `sha256:${proxy.thumbprint}`,
          encryptionPublicKey: proxy.encryptionPublicKeyText,
        },
        JOB_ID,
      );

      expect(JSON.stringify(sealed)).not.to.contain('s3cret');
      expect(credential.kind).to.equal('password');
      if (credential.kind !== 'password') {
        return;
      }
      const binding = {
        senderThumbprint: dm.thumbprint,
        recipientThumbprint: proxy.thumbprint,
        messageId: JOB_ID,
      };
      const encrypted = {
        ciphertext: Buffer.from(credential.ciphertext, 'base64'),
        ephemeralPublicKey: credential.ephemeralPublicKey,
      };
      expect(decryptPayload(encrypted, proxy.encryptionPrivateKey, binding).toString()).to.equal(
        's3cret pass',
      );
      expect(() =>
        decryptPayload(encrypted, proxy.encryptionPrivateKey, { ...binding, messageId: 'other' }),
      ).to.throw(/cannot be decrypted/);
    });

    it('should refuse a stored password sealed for another instance', () => {
      const sealed = sut.seal('s3cret pass', INSTANCE_ID);
      const candidate = {
        name: 'proxy-1',
        thumbprint: `sha256:${proxy.thumbprint}`,
        encryptionPublicKey: proxy.encryptionPublicKeyText,
      };

      expect(() => sut.forProxy(sealed, 'another-instance', candidate, JOB_ID)).to.throw(
        /cannot be decrypted/,
      );
    });
  });
});
