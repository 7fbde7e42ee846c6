import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadOrCreateIdentity } from '@flotilla/messaging';
import { Agent } from './agent';
import { DEFAULT_AGENT_DATA_DIR, PRIVATE_STATE_DIR_MODE } from './agent.constants';
import type { AgentConfig, AgentFlags } from './config/agent-config';
import { mergeAgentSources } from './config/load-agent-config';
import { createAgentLogger } from './support/agent-logger';

/**
 * Runs an agent until SIGTERM or SIGINT, then stops it cleanly (signed shutdown notice).
 * @throws Error when the agent cannot start (identity, enrollment rejected, firewall).
 */
export async function runAgent(config: AgentConfig): Promise<void> {
  const logger = createAgentLogger(config.name, config.logLevel);
  const agent = new Agent(config, logger);
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      agent.stop(`received ${signal}`).then(resolve, (error: unknown) => {
        logger.error('agent did not stop cleanly', { error: String(error) });
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  try {
    await agent.start();
  } catch (error: unknown) {
    if (agent.isStopping) {
      // Stopped by a signal while starting (enrolling, connecting): a clean stop, not a failure.
      await stopped;
      return;
    }
    await agent.stop('start failed');
    throw error;
  }
  logger.info('agent running', { name: config.name });
  await stopped;
}

/**
 * Creates the identity in the configured data directory if needed and returns its thumbprint (the
 * same every time); only the name and data directory are read, so no broker setting is required.
 */
export async function agentThumbprint(
  env: Readonly<Record<string, string | undefined>>,
  flags: AgentFlags,
): Promise<string> {
  const sources = mergeAgentSources(env, flags);
  const name = sources.FLOTILLA_AGENT_NAME ?? '';
  const dataDir = resolve(sources.FLOTILLA_DATA_DIR ?? DEFAULT_AGENT_DATA_DIR);
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_STATE_DIR_MODE });
  const identity = await loadOrCreateIdentity({ dataDir, name });
  return identity.thumbprint;
}
