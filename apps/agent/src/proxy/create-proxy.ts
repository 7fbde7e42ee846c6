import type { Identity } from '@flotilla/messaging';
import type { CapabilitiesPayload } from '@flotilla/protocol';
import type { RecipeBundleCache } from '@flotilla/recipes';
import type { AgentConfig } from '../config/agent-config';
import type { AgentLogger } from '../support/agent-logger';
import { AgentlessLane } from './agentless-lane';
import { AgentlessStepRunner } from './agentless-step-runner';
import { ProxyKeys } from './proxy-keys';

/** The proxy role of a running agent: where agentless steps run, and what it tells the DM. */
export interface Proxy {
  readonly runner: AgentlessStepRunner;
  readonly lane: AgentlessLane;
  /** What the agent announces in `agent.capabilities.v1`. */
  readonly capabilities: CapabilitiesPayload;
  /** Waits for running agentless steps (aborted by the agent's signal), then closes connections. */
  close(): Promise<void>;
}

/**
 * The proxy role when the configuration asks for it (`--proxy`), else undefined.
 * @throws Error when a configured key file cannot be read.
 */
export async function createProxy(
  config: AgentConfig,
  parts: { identity: Identity; bundles: RecipeBundleCache; signal: AbortSignal },
  logger: AgentLogger,
): Promise<Proxy | undefined> {
  if (config.proxy === undefined) {
    return undefined;
  }
  const keys = await ProxyKeys.load(config.proxy.keyFiles);
  const runner = new AgentlessStepRunner({
    agentName: config.name,
    dataDir: config.dataDir,
    bundles: parts.bundles,
    target: { keys, identity: parts.identity, dmThumbprint: config.dmThumbprint },
    maxTimeoutMs: config.recipes.timeoutMs,
    signal: parts.signal,
    logger,
  });
  const lane = new AgentlessLane(config.proxy.concurrency);
  logger.info('proxy role enabled', {
    keyNames: keys.names,
    concurrency: config.proxy.concurrency,
  });
  return {
    runner,
    lane,
    capabilities: { proxy: { keyNames: keys.names } },
    close: async () => {
      await lane.drain();
      await runner.close();
    },
  };
}
