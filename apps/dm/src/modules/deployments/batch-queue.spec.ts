import { expect } from 'chai';
import { BatchQueue, type BatchOutcome } from './batch-queue';

type Flush = (items: readonly number[]) => Promise<Array<BatchOutcome<number>>>;

/**
 * A flush the test releases by hand: `batch(n)` resolves, once the queue started its nth flush,
 * with that batch's items and the function that completes it (negative items fail).
 */
function controlledFlush(): {
  flush: Flush;
  batch: (index: number) => Promise<{ items: number[]; release: () => void }>;
} {
  const started: Array<{ items: number[]; release: () => void }> = [];
  const waiters: Array<() => void> = [];
  const flush: Flush = (items) =>
    new Promise((resolve) => {
      started.push({
        items: [...items],
        release: () =>
          resolve(
            items.map((item) =>
              item < 0
                ? { isOk: false, error: new Error(`bad ${item}`) }
                : { isOk: true, value: item * 10 },
            ),
          ),
      });
      waiters.splice(0).forEach((wake) => wake());
    });
  const batch = async (index: number) => {
    while (started[index] === undefined) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return started[index];
  };
  return { flush, batch };
}

describe(BatchQueue.name, () => {
  describe('add', () => {
    it('should flush a lone item at once and the items added meanwhile together', async () => {
      const { flush, batch } = controlledFlush();
      const sut = new BatchQueue(flush, 100);

      const first = sut.add(1);
      const later = [sut.add(2), sut.add(3), sut.add(4)];
      const one = await batch(0);
      one.release();
      const two = await batch(1);
      two.release();

      expect(one.items).to.deep.equal([1]);
      expect(two.items).to.deep.equal([2, 3, 4]);
      expect(await first).to.equal(10);
      expect(await Promise.all(later)).to.deep.equal([20, 30, 40]);
    });

    it('should split what waits into batches of at most maxBatch', async () => {
      const { flush, batch } = controlledFlush();
      const sut = new BatchQueue(flush, 2);

      const all = [1, 2, 3, 4, 5].map((item) => sut.add(item));
      const seen: number[][] = [];
      for (let index = 0; index < 3; index += 1) {
        const next = await batch(index);
        seen.push(next.items);
        next.release();
      }

      expect(seen).to.deep.equal([[1], [2, 3], [4, 5]]);
      expect(await Promise.all(all)).to.deep.equal([10, 20, 30, 40, 50]);
    });

    it('should reject only the item that failed when the others of its batch succeeded', async () => {
      const { flush, batch } = controlledFlush();
      const sut = new BatchQueue(flush, 100);

      const first = sut.add(1);
      const good = sut.add(2);
      const bad = sut.add(-1).catch((error: unknown) => error);
      (await batch(0)).release();
      (await batch(1)).release();

      expect(await first).to.equal(10);
      expect(await good).to.equal(20);
      expect(await bad)
        .to.be.instanceOf(Error)
        .with.property('message', 'bad -1');
    });

    it('should reject every item of a batch whose flush threw, and keep flushing after it', async () => {
      let calls = 0;
      const sut = new BatchQueue<number, number>((items) => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('database gone'))
          : Promise.resolve(items.map((item) => ({ isOk: true as const, value: item })));
      }, 100);

      const failed = await sut.add(1).catch((error: unknown) => error);
      const next = await sut.add(2);

      expect(failed).to.be.instanceOf(Error).with.property('message', 'database gone');
      expect(next).to.equal(2);
    });
  });
});
