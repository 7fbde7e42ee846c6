import type { DmServer } from '@flotilla/dm';
import { DataSource } from 'typeorm';

/** One command (a step the DM asked an agent to run), as the DM's database records it. */
export interface CommandRecord {
  readonly path: string;
  readonly step: string;
  readonly attempt: number;
  readonly status: string;
}

/** Every command the DM recorded, ordered by instance path and step. */
export async function commandsOf(server: DmServer): Promise<CommandRecord[]> {
  const rows: CommandRecord[] = await server.app.get(DataSource).query(
    `SELECT i.path, c.step::text AS step, c.attempt, c.status::text AS status
       FROM commands c JOIN instances i ON i.id = c.instance_id
      ORDER BY i.path, c.step`,
  );
  return rows;
}

/**
 * "<instance path> <step>" for every step the agents started (their pino log lines), sorted: a
 * step the agents ran twice in effect appears twice.
 */
export function stepsStarted(agentLogs: string): string[] {
  return agentLogs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; instancePath?: string; step?: string })
    .filter((entry) => entry.msg === 'step started')
    .map((entry) => `${entry.instancePath} ${entry.step}`)
    .sort();
}
