import type { ApplicationState } from './application-state';

/**
 * What one dispatch pass reads once and shares between its commands: each application's state,
 * loaded when its first command is sent (after the due commands were read, so it holds every
 * change that queued them), and each agent's thumbprint. A pass used to load the whole application
 * again for every command it sent.
 */
export class DispatchPass {
  private readonly states = new Map<string, Promise<ApplicationState>>();
  private readonly thumbprints = new Map<string, Promise<string>>();

  constructor(
    private readonly loadState: (applicationId: string) => Promise<ApplicationState>,
    private readonly loadThumbprint: (agentName: string) => Promise<string>,
  ) {}

  /** The application's state as this pass sees it. */
  stateOf(applicationId: string): Promise<ApplicationState> {
    return remembered(this.states, applicationId, this.loadState);
  }

  /** The agent's envelope thumbprint as this pass sees it. */
  thumbprintOf(agentName: string): Promise<string> {
    return remembered(this.thumbprints, agentName, this.loadThumbprint);
  }
}

/** The value kept under `key`, produced once (a failed production is forgotten, to be retried). */
function remembered<T>(
  cache: Map<string, Promise<T>>,
  key: string,
  produce: (key: string) => Promise<T>,
): Promise<T> {
  let value = cache.get(key);
  if (value === undefined) {
    value = produce(key);
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}

/**
 * Runs `work` on every item: items of one key one after the other, in order (an agent's commands
 * reach its queue in the order they were queued), and up to `concurrency` keys at once.
 */
export async function inLanes<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const lane = lanes.get(keyOf(item));
    if (lane === undefined) {
      lanes.set(keyOf(item), [item]);
    } else {
      lane.push(item);
    }
  }
  const queue = [...lanes.values()];
  const runLanes = async (): Promise<void> => {
    for (let lane = queue.shift(); lane !== undefined; lane = queue.shift()) {
      for (const item of lane) {
        await work(item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, runLanes));
}
