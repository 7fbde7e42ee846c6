// One of the benchmark's agent processes: runs many real agents (enrollment, messaging, journal,
// step handling) side by side, each with its own identity and data directory, with the no-op
// recipe executor at the recipe-runner boundary. Argument: an AgentProcessJob as JSON.
import { join } from 'node:path';
import { Agent, agentThumbprint, createAgentLogger, loadAgentConfig } from '@flotilla/agent';
import { inParallel } from './dm-api';
import { NoopStepExecutor } from './noop-step-executor';
import type { AgentProcessJob, AgentProcessMessage } from './scale-messages';

/** How often the process reports the steps its agents ran. */
const REPORT_INTERVAL_MS = 1_000;

function tell(message: AgentProcessMessage | { kind: 'failed'; error: string }): void {
  process.send?.(message);
}

function agentOf(job: AgentProcessJob, name: string, executor: NoopStepExecutor): Agent {
  const config = loadAgentConfig({
    FLOTILLA_AGENT_NAME: name,
    FLOTILLA_AMQP_URL: job.amqpUrl,
    FLOTILLA_BROKER_NAMESPACE: job.namespace,
    FLOTILLA_DM_THUMBPRINT: job.dmThumbprint,
    FLOTILLA_DATA_DIR: join(job.dataDir, name),
    FLOTILLA_FIREWALL: 'none',
    FLOTILLA_HEARTBEAT_INTERVAL_MS: String(job.heartbeatMs),
    FLOTILLA_LOG_LEVEL: 'error',
  });
  // At error level: the `none` firewall backend warns once per agent, which is expected here.
  return new Agent(config, createAgentLogger(name, config.logLevel), { executor });
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as AgentProcessJob;
  const executor = new NoopStepExecutor();
  const agents = job.names.map((name) => ({ name, agent: agentOf(job, name, executor) }));
  let isStopping = false;
  const reporter = setInterval(
    () => tell({ kind: 'steps', executed: executor.executed }),
    REPORT_INTERVAL_MS,
  );
  const stop = async (): Promise<void> => {
    if (isStopping) {
      return;
    }
    isStopping = true;
    clearInterval(reporter);
    await inParallel(agents, job.concurrency, ({ agent }) => agent.stop('benchmark over'));
    process.disconnect?.();
  };
  let startNow: () => void = () => undefined;
  const isToldToStart = new Promise<void>((resolve) => (startNow = resolve));
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'stop') {
      void stop();
    } else if (message.kind === 'start') {
      startNow();
    }
  });
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Identities first: the benchmark pre-registers their thumbprints, then says start.
  await inParallel(job.names, job.concurrency, async (name) => {
    const thumbprint = await agentThumbprint({}, { name, dataDir: join(job.dataDir, name) });
    tell({ kind: 'identity', name, thumbprint });
  });
  await isToldToStart;
  await inParallel(agents, job.concurrency, async ({ name, agent }) => {
    await agent.start();
    if (!isStopping) {
      tell({ kind: 'running', name });
    }
  });
}

main().catch((error: unknown) => {
  tell({
    kind: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
});
