import { expect } from 'chai';
import { LoginRateLimiter } from './login-rate-limiter';

describe(LoginRateLimiter.name, () => {
  describe('attempt', () => {
    let now: number;
    let sut: LoginRateLimiter;

    beforeEach(() => {
      now = 1_000_000;
      sut = new LoginRateLimiter(2, () => now);
    });

    it('should allow attempts up to the limit and refuse the next one with the wait', () => {
      expect(sut.attempt(['ip:a', 'user:admin'])).to.deep.equal({ allowed: true });
      now += 10_000;
      expect(sut.attempt(['ip:a', 'user:admin'])).to.deep.equal({ allowed: true });
      now += 5_000;
      expect(sut.attempt(['ip:a', 'user:admin'])).to.deep.equal({
        allowed: false,
        retryAfterSeconds: 45,
      });
    });

    it('should refuse another IP when the username is over its limit', () => {
      sut.attempt(['ip:a', 'user:admin']);
      sut.attempt(['ip:b', 'user:admin']);
      expect(sut.attempt(['ip:c', 'user:admin']).allowed).to.equal(false);
      expect(sut.attempt(['ip:c', 'user:bob']).allowed).to.equal(true);
    });

    it('should allow again when the window has passed', () => {
      sut.attempt(['ip:a']);
      sut.attempt(['ip:a']);
      now += 60_001;
      expect(sut.attempt(['ip:a']).allowed).to.equal(true);
    });

    it('should not count a refused attempt when it was over the limit', () => {
      sut.attempt(['ip:a']);
      sut.attempt(['ip:a']);
      now += 30_000;
      expect(sut.attempt(['ip:a']).allowed).to.equal(false);
      now += 30_001;
      expect(sut.attempt(['ip:a']).allowed).to.equal(true);
      expect(sut.attempt(['ip:a']).allowed).to.equal(true);
    });
  });
});
