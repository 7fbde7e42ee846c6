import { join } from 'node:path';
import {
  createFirewall,
  PortLedger,
  RecipeStepExecutor,
  ScriptRunner,
  resolveStepUser,
  type Firewall,
  type FirewallOptions,
  type RecipeBundleCache,
} from '@flotilla/recipes';
import type { AgentConfig } from '../config/agent-config';
import type { InstanceStore } from '../instances/instance-store';
import type { AgentLogger } from '../support/agent-logger';
import { StepJobRunner, type StepExecutor } from './step-job-runner';

/** The configured firewall backend over the ledger kept in the data directory. */
export function createAgentFirewall(config: AgentConfig, logger: AgentLogger): Firewall {
  const options: FirewallOptions = {
    ledger: new PortLedger(join(config.dataDir, 'ports.ledger.json')),
    managed: config.firewall.isManaged,
    alwaysOpen: config.firewall.alwaysOpen,
    logger,
  };
  return createFirewall(config.firewall.backend, options);
}

/**
 * Wires the step runner: script runner, executor with the firewall helper, recipe user. An
 * `executor` given replaces the script executor (an embedding host such as the scale benchmark).
 */
export async function createStepJobRunner(
  config: AgentConfig,
  stores: { bundles: RecipeBundleCache; instances: InstanceStore; firewall: Firewall },
  logger: AgentLogger,
  signal?: AbortSignal,
  executor: StepExecutor = new RecipeStepExecutor({
    runner: new ScriptRunner(),
    firewall: stores.firewall,
    socketParentDir: join(config.dataDir, 'run'),
    logger,
  }),
): Promise<StepJobRunner> {
  const user =
    config.recipes.user === undefined ? undefined : await resolveStepUser(config.recipes.user);
  return new StepJobRunner({
    agentName: config.name,
    dataDir: config.dataDir,
    ...stores,
    executor,
    ...(user === undefined ? {} : { user }),
    maxTimeoutMs: config.recipes.timeoutMs,
    inheritedEnvironment: config.inheritedEnvironment,
    ...(signal === undefined ? {} : { signal }),
    logger,
  });
}
