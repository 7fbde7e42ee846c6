import { expect } from 'chai';
import { csrfTokenFor, isCsrfTokenValid } from './csrf-token';

describe('csrfTokenFor', () => {
  it('should give the same token for a session and different tokens for different sessions', () => {
    expect(csrfTokenFor('fls_a')).to.equal(csrfTokenFor('fls_a'));
    expect(csrfTokenFor('fls_a')).not.to.equal(csrfTokenFor('fls_b'));
    expect(csrfTokenFor('fls_a')).not.to.contain('fls_a');
  });

  describe('isCsrfTokenValid', () => {
    it("should accept only the session's own token", () => {
      const token = csrfTokenFor('fls_a');
      expect(isCsrfTokenValid('fls_a', token)).to.equal(true);
      expect(isCsrfTokenValid('fls_b', token)).to.equal(false);
      expect(isCsrfTokenValid('fls_a', `${token}x`)).to.equal(false);
      expect(isCsrfTokenValid('fls_a', '')).to.equal(false);
      expect(isCsrfTokenValid('fls_a', undefined)).to.equal(false);
    });
  });
});
