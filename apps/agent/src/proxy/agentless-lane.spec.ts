import { expect } from 'chai';
import { AgentlessLane } from './agentless-lane';

/** A job that ends when told to. */
function controlledJob() {
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  return { run: () => ended, finish };
}

describe(AgentlessLane.name, () => {
  describe('submit', () => {
    it('should return once the job started, before it ends', async () => {
      const sut = new AgentlessLane(2);
      const job = controlledJob();

      await sut.submit(job.run);

      expect(sut.size).to.equal(1);
      job.finish();
      await sut.drain();
      expect(sut.size).to.equal(0);
    });

    it('should hold the next job back when every slot is busy, until one ends', async () => {
      const sut = new AgentlessLane(1);
      const first = controlledJob();
      const second = controlledJob();
      await sut.submit(first.run);
      let isSecondStarted = false;

      const submitted = sut.submit(() => {
        isSecondStarted = true;
        return second.run();
      });
      await Promise.resolve();
      expect(isSecondStarted).to.equal(false);
      first.finish();
      await submitted;

      expect(isSecondStarted).to.equal(true);
      second.finish();
      await sut.drain();
    });
  });
});
