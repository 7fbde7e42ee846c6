import { FaultWorld, type FaultWorldOptions } from './fault-world';

/** How much of the processes' output a failed scenario prints. */
const FAILURE_LOG_CHARS = 40_000;

/**
 * Registers the mocha hooks of a fault scenario file: one world built before its tests (removed
 * again if building fails), the DM's and agents' output printed after a failed test, and the
 * world removed at the end. Returns the world's accessor.
 */
export function useFaultWorld(options: FaultWorldOptions): () => FaultWorld {
  let world: FaultWorld | undefined;

  before(async () => {
    world = new FaultWorld(options);
    try {
      await world.start();
    } catch (error: unknown) {
      await world.stop();
      throw error;
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && world !== undefined) {
      process.stderr.write(`${world.logs().slice(-FAILURE_LOG_CHARS)}\n`);
    }
  });

  after(async () => {
    await world?.stop();
  });

  return () => {
    if (world === undefined) {
      throw new Error('the fault world is not built yet');
    }
    return world;
  };
}
