// Public API of @flotilla/agent, used by the `flotilla agent` CLI command.
export type { AgentConfig, AgentFlags } from './config/agent-config';
export { AgentConfigError } from './config/agent-config.error';
export { loadAgentConfig, mergeAgentSources } from './config/load-agent-config';
export { agentThumbprint, runAgent } from './run-agent';
export { Agent, type AgentEmbedding } from './agent';
export type { StepExecutor } from './runner/step-job-runner';
export { createAgentLogger, type AgentLogger } from './support/agent-logger';
