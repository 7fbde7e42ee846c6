import { FaultWorld, type FaultWorldOptions } from './fault-world';

/** How much of the processes' output a failed scenario prints. */
const FAILURE_LOG_CHARS = 40_000;

/**
 * The world the small scenarios share (building one takes most of a minute): two hosts of ten
 * workers and one slow instance each, and a DM that declares an agent lost after 3 missed
 * heartbeats of 1 s (the agents beat every second).
 */
export const SHARED_WORLD_OPTIONS: FaultWorldOptions = {
  shape: { hosts: ['h1', 'h2'], workersPerHost: 10, withSlow: true },
  dmVariables: { FLOTILLA_HEARTBEAT_INTERVAL: '1', FLOTILLA_MISSED_HEARTBEATS: '3' },
};

let shared: { world: Promise<FaultWorld> | undefined; users: number } = {
  world: undefined,
  users: 0,
};

async function built(options: FaultWorldOptions): Promise<FaultWorld> {
  const world = new FaultWorld(options);
  try {
    await world.start();
  } catch (error: unknown) {
    await world.stop();
    throw error;
  }
  return world;
}

/** Prints the processes' output after a failed test of the current suite. */
function reportFailures(world: () => FaultWorld | undefined): void {
  afterEach(function () {
    const current = world();
    if (this.currentTest?.state === 'failed' && current !== undefined) {
      process.stderr.write(`${current.logs().slice(-FAILURE_LOG_CHARS)}\n`);
    }
  });
}

/**
 * Registers the mocha hooks of a scenario file with its own world: built before its tests,
 * removed after them. Returns the world's accessor.
 */
export function useFaultWorld(options: FaultWorldOptions): () => FaultWorld {
  let world: FaultWorld | undefined;
  before(async () => {
    world = await built(options);
  });
  reportFailures(() => world);
  after(async () => {
    await world?.stop();
  });
  return () => {
    if (world === undefined) {
      throw new Error('the fault world is not built');
    }
    return world;
  };
}

/**
 * Registers the mocha hooks of a scenario file that uses the shared world: the first file to run
 * builds it, the last one removes it (files register when mocha loads them, before any runs).
 * Each scenario must bring the fleet to the state it starts from itself.
 */
export function useSharedFaultWorld(): () => FaultWorld {
  shared.users++;
  let world: FaultWorld | undefined;
  before(async () => {
    shared.world ??= built(SHARED_WORLD_OPTIONS);
    world = await shared.world;
  });
  reportFailures(() => world);
  after(async () => {
    shared.users--;
    if (shared.users === 0) {
      const last = shared.world;
      shared = { world: undefined, users: 0 };
      await (await last?.catch(() => undefined))?.stop();
    }
  });
  return () => {
    if (world === undefined) {
      throw new Error('the shared fault world is not built');
    }
    return world;
  };
}
