import pino from 'pino';

/** The structured logger every part of the agent writes to (fits the libs' logger interfaces). */
export interface AgentLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** A pino JSON logger on stderr, adapted to `AgentLogger`, tagged with the agent's name. */
export function createAgentLogger(agentName: string, level: string): AgentLogger {
  const logger = pino(
    { level, base: { agent: agentName } },
    pino.destination({ dest: 2, sync: true }),
  );
  return {
    debug: (message, context) => logger.debug(context ?? {}, message),
    info: (message, context) => logger.info(context ?? {}, message),
    warn: (message, context) => logger.warn(context ?? {}, message),
    error: (message, context) => logger.error(context ?? {}, message),
  };
}
