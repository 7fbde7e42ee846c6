import { expect } from 'chai';
import fc from 'fast-check';
import { PositionHeap } from './position-heap';

describe(PositionHeap.name, () => {
  describe('pop', () => {
    it('should give back any set of positions smallest first, then undefined', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.nat({ max: 10_000 })), (positions) => {
          const sut = new PositionHeap();
          positions.forEach((position) => sut.push(position));

          const popped: number[] = [];
          for (let next = sut.pop(); next !== undefined; next = sut.pop()) {
            popped.push(next);
          }

          expect(popped).to.deep.equal([...positions].sort((a, b) => a - b));
          expect(sut.size).to.equal(0);
        }),
      );
    });
  });
});
