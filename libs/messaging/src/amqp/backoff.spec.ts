import { expect } from 'chai';
import { computeBackoffDelay } from './backoff';

describe(computeBackoffDelay.name, () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0.5 };

  it('should double per attempt up to the cap when the random draw is zero', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) =>
      computeBackoffDelay(attempt, options, () => 0),
    );
    expect(delays).to.deep.equal([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('should shorten a delay by at most the jitter share when the random draw is maximal', () => {
    expect(computeBackoffDelay(4, options, () => 1)).to.equal(400);
  });

  it('should never exceed the cap whatever the attempt', () => {
    expect(computeBackoffDelay(1_000, options, Math.random)).to.be.at.most(1_000);
  });
});
