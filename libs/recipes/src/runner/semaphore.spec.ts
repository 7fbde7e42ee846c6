import { expect } from 'chai';
import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  describe('withSlot', () => {
    it('should never run more tasks at once than its capacity, and run them all', async () => {
      const sut = new Semaphore(2);
      let running = 0;
      let peak = 0;
      const task = async (): Promise<number> => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return peak;
      };
      await Promise.all([1, 2, 3, 4, 5].map(() => sut.withSlot(task)));
      expect(peak).to.equal(2);
      expect(running).to.equal(0);
    });

    it('should free the slot when a task fails', async () => {
      const sut = new Semaphore(1);
      await sut.withSlot(() => Promise.reject(new Error('boom'))).catch(() => undefined);
      expect(await sut.withSlot(() => Promise.resolve('next'))).to.equal('next');
    });

    it('should serve waiting tasks in arrival order', async () => {
      const sut = new Semaphore(1);
      const order: number[] = [];
      await Promise.all([1, 2, 3].map((n) => sut.withSlot(() => Promise.resolve(order.push(n)))));
      expect(order).to.deep.equal([1, 2, 3]);
    });
  });

  for (const capacity of [0, -1, 1.5]) {
    it(`should refuse a capacity of ${capacity}`, () => {
      expect(() => new Semaphore(capacity)).to.throw(RangeError, String(capacity));
    });
  }
});
