import { Logger } from '@nestjs/common';
import { expect } from 'chai';
import type { LeaderDuty } from './leader-duty';
import { LeadershipService, type LeadershipLock } from './leadership.service';

/** A lock another replica may hold, whose session the test can fail or end. */
class FakeLock implements LeadershipLock {
  isFree = true;
  isReachable = true;
  released = 0;
  private lost: (reason: string) => void = () => undefined;

  onLost(listener: (reason: string) => void): void {
    this.lost = listener;
  }
  tryAcquire(): Promise<boolean> {
    return this.isReachable
      ? Promise.resolve(this.isFree)
      : Promise.reject(new Error('ECONNREFUSED'));
  }
  probe(): Promise<void> {
    return this.isReachable ? Promise.resolve() : Promise.reject(new Error('probe timed out'));
  }
  release(): Promise<void> {
    this.released += 1;
    return Promise.resolve();
  }
  endSession(): void {
    this.lost('the leadership session ended');
  }
}

/** Records the order in which duties start and stop, across duties. */
function recordingDuties(names: readonly string[], log: string[]): LeaderDuty[] {
  return names.map((name) => ({
    startLeading: () => void log.push(`start ${name}`),
    stopLeading: () => void log.push(`stop ${name}`),
  }));
}

/** Lets the queued duty changes run. */
async function settled(sut: LeadershipService): Promise<void> {
  await sut.check();
  await new Promise((resolve) => setImmediate(resolve));
}

describe(LeadershipService.name, () => {
  let log: string[];
  let lock: FakeLock;
  let sut: LeadershipService;

  before(() => {
    Logger.overrideLogger(false); // role changes log at info and warn by design
  });
  after(() => {
    Logger.overrideLogger(true);
  });

  beforeEach(() => {
    log = [];
    lock = new FakeLock();
    sut = new LeadershipService(lock, recordingDuties(['dispatch', 'consume'], log));
  });

  afterEach(async () => {
    await sut.onModuleDestroy();
  });

  describe('onApplicationBootstrap', () => {
    it('should lead and start every duty in order when the lock is free', async () => {
      await sut.onApplicationBootstrap();

      expect(sut.role).to.equal('leader');
      expect(sut.electionCount).to.equal(1);
      expect(log).to.deep.equal(['start dispatch', 'start consume']);
    });

    it('should follow and start no duty when another replica holds the lock', async () => {
      lock.isFree = false;

      await sut.onApplicationBootstrap();

      expect(sut.role).to.equal('follower');
      expect(log).to.deep.equal([]);
    });

    it('should lead without any lock on the embedded database', async () => {
      const embedded = new LeadershipService(null, recordingDuties(['dispatch'], log));

      await embedded.onApplicationBootstrap();

      expect(embedded.role).to.equal('leader');
      expect(log).to.deep.equal(['start dispatch']);
      await embedded.onModuleDestroy();
    });
  });

  describe('check', () => {
    it('should take over when the lock becomes free', async () => {
      lock.isFree = false;
      await sut.onApplicationBootstrap();
      lock.isFree = true;

      await settled(sut);

      expect(sut.role).to.equal('leader');
      expect(log).to.deep.equal(['start dispatch', 'start consume']);
    });

    it('should step down and stop the duties in reverse order when the probe fails', async () => {
      await sut.onApplicationBootstrap();
      lock.isReachable = false;

      await settled(sut);

      expect(sut.role).to.equal('follower');
      expect(log.slice(2)).to.deep.equal(['stop consume', 'stop dispatch']);
    });

    it('should stay a follower while the database cannot be reached', async () => {
      lock.isReachable = false;
      await sut.onApplicationBootstrap();

      await settled(sut);

      expect(sut.role).to.equal('follower');
      expect(log).to.deep.equal([]);
    });
  });

  describe('lost session', () => {
    it('should step down at once, without waiting for the next check', async () => {
      await sut.onApplicationBootstrap();

      lock.endSession();

      expect(sut.role).to.equal('follower');
      await new Promise((resolve) => setImmediate(resolve));
      expect(log).to.deep.equal([
        'start dispatch',
        'start consume',
        'stop consume',
        'stop dispatch',
      ]);
    });
  });

  describe('onModuleDestroy', () => {
    it('should stop the duties before ending the lock session', async () => {
      await sut.onApplicationBootstrap();

      await sut.onModuleDestroy();

      expect(log.slice(2)).to.deep.equal(['stop consume', 'stop dispatch']);
      expect(lock.released).to.be.at.least(1);
      expect(sut.role).to.equal('follower');
    });
  });
});
