import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { HostKeyCheck, hostKeyFingerprint } from './host-key-fingerprint';
import { SshError } from './ssh.errors';
import { formatSshTarget, validateSshTarget, type SshTarget } from './ssh-target';

const KEY_BLOB = Buffer.from('a host key blob');
const FINGERPRINT = `SHA256:${createHash('sha256').update(KEY_BLOB).digest('base64').replace(/=+$/, '')}`;

function target(overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    host: 'db.example',
    user: 'deploy',
    hostKeyFingerprint: FINGERPRINT,
    credential: { kind: 'password', password: 'secret' },
    ...overrides,
  };
}

describe('ssh target', () => {
  describe(hostKeyFingerprint.name, () => {
    it('should print SHA256:<base64 without padding> as ssh-keygen -lf does', () => {
      expect(hostKeyFingerprint(KEY_BLOB)).to.equal(FINGERPRINT);
      expect(FINGERPRINT).to.match(/^SHA256:[A-Za-z0-9+/]{43}$/);
    });
  });

  describe(HostKeyCheck.name, () => {
    it('should accept the pinned key and keep what was presented', () => {
      const sut = new HostKeyCheck(FINGERPRINT);
      expect(sut.verify(KEY_BLOB)).to.equal(true);
      expect(sut.isMismatch).to.equal(false);
    });

    it('should refuse another key and remember its fingerprint for the error', () => {
      const sut = new HostKeyCheck(FINGERPRINT);
      const other = Buffer.from('another key');
      expect(sut.verify(other)).to.equal(false);
      expect(sut.isMismatch).to.equal(true);
      expect(sut.presented).to.equal(hostKeyFingerprint(other));
    });
  });

  describe(validateSshTarget.name, () => {
    it('should accept a complete target, port 22 by default', () => {
      expect(() => validateSshTarget(target())).not.to.throw();
      expect(formatSshTarget(target())).to.equal('deploy@db.example:22');
    });

    const bad: [string, Partial<SshTarget>, RegExp][] = [
      ['an empty host', { host: ' ' }, /host: must not be empty/],
      ['port 0', { port: 0 }, /port: 0 is not a port number/],
      ['a user with a space', { user: 'a b' }, /user: "a b" is not a valid user name/],
      [
        'an MD5 fingerprint',
        { hostKeyFingerprint: 'MD5:aa:bb' },
        /hostKeyFingerprint: "MD5:aa:bb"/,
      ],
    ];
    bad.forEach(([what, overrides, message]) => {
      it(`should refuse ${what}, naming the field`, () => {
        expect(() => validateSshTarget(target(overrides)))
          .to.throw(SshError, message)
          .with.property('code', 'SSH_TARGET_INVALID');
      });
    });

    it('should never put the password in the error', () => {
      expect(() => validateSshTarget(target({ port: -1 })))
        .to.throw(SshError)
        .with.property('message')
        .that.does.not.contain('secret');
    });
  });
});
