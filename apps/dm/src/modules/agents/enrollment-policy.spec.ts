import { expect } from 'chai';
import { hashSecret } from '../auth/token-secret';
import { EnrollmentPolicy } from './enrollment-policy';

const LISTED = `sha256:${'ab'.repeat(32)}`;
const OTHER = `sha256:${'cd'.repeat(32)}`;
const TOKEN = 'one-time-token-of-install';

describe(EnrollmentPolicy.name, () => {
  const sut = new EnrollmentPolicy({ allowlistedThumbprints: [LISTED], oneTimeTokens: [TOKEN] });

  describe('judge', () => {
    it('should say allowlisted when the thumbprint is listed, token or not', () => {
      expect(sut.judge(LISTED, undefined)).to.deep.equal({ kind: 'allowlisted' });
      expect(sut.judge(LISTED, 'whatever')).to.deep.equal({ kind: 'allowlisted' });
    });

    it('should name the token hash when a configured token is presented', () => {
      expect(sut.judge(OTHER, TOKEN)).to.deep.equal({
        kind: 'token',
        tokenHash: hashSecret(TOKEN),
      });
    });

    it('should say unknown-token or none when the token is wrong or absent', () => {
      expect(sut.judge(OTHER, 'guess')).to.deep.equal({ kind: 'unknown-token' });
      expect(sut.judge(OTHER, undefined)).to.deep.equal({ kind: 'none' });
    });
  });
});
