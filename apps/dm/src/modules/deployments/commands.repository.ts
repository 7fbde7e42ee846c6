import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { LifecycleStep, StepKind } from '@flotilla/model';
import type { EntityManager } from 'typeorm';
import type { CommandStatus } from './entities/command.entity';

/** A command as the reconciler handles it: a job for one step of one instance on one agent. */
export interface StepCommand {
  readonly id: string;
  /** The job id the agent deduplicates by (stored as the command's message id). */
  readonly jobId: string;
  readonly applicationId: string;
  readonly instanceId: string;
  readonly instancePath: string;
  readonly step: StepKind;
  readonly attempt: number;
  readonly status: CommandStatus;
  readonly agentName: string | null;
  readonly details: Partial<LifecycleStep>;
  readonly sentAt: Date | null;
  readonly result: Record<string, unknown> | null;
}

interface CommandRow {
  id: string;
  message_id: string;
  application_id: string;
  instance_id: string;
  path: string;
  step: StepKind;
  attempt: number;
  status: CommandStatus;
  agent_name: string | null;
  details: Partial<LifecycleStep>;
  sent_at: Date | null;
  result: Record<string, unknown> | null;
  updated_at: Date;
}

// A command not yet sent goes to whichever agent its root is bound to by then.
const SELECT_COMMAND = `SELECT c.id, c.message_id, i.application_id, c.instance_id, i.path, c.step,
  c.attempt, c.status, CASE WHEN c.status = 'queued' THEN coalesce(r.agent_name, c.agent_name)
  ELSE c.agent_name END AS agent_name, c.details, c.sent_at, c.result, c.updated_at
  FROM commands c JOIN instances i ON i.id = c.instance_id
  LEFT JOIN instances r ON r.application_id = i.application_id
    AND r.path = '/' || split_part(i.path, '/', 2)`;

/** The reconciler's persisted jobs: one row per attempt of a step, with a unique job id. */
@Injectable()
export class CommandsRepository {
  /** Queues a new job for a step; the attempt follows the instance's previous ones for that step. */
  async queue(
    instanceId: string,
    agentName: string | null,
    step: LifecycleStep,
    manager: EntityManager,
  ): Promise<string> {
    const [{ attempt }]: Array<{ attempt: number }> = await manager.query(
      `SELECT coalesce(max(attempt), 0) + 1 AS attempt FROM commands WHERE instance_id = $1 AND step = $2`,
      [instanceId, step.kind],
    );
    const jobId = randomUUID();
    await manager.query(
      `INSERT INTO commands (instance_id, step, status, attempt, message_id, agent_name, details)
       VALUES ($1, $2, 'queued', $3, $4, $5, $6)`,
      [instanceId, step.kind, attempt, jobId, agentName, JSON.stringify(step)],
    );
    return jobId;
  }

  /** The command of a job, locked for the result's transaction. */
  async lockByJobId(jobId: string, manager: EntityManager): Promise<StepCommand | undefined> {
    const rows: CommandRow[] = await manager.query(
      `${SELECT_COMMAND} WHERE c.message_id = $1 FOR UPDATE OF c`,
      [jobId],
    );
    return rows[0] === undefined ? undefined : toCommand(rows[0]);
  }

  /** A command by job id, without locking. */
  async findByJobId(jobId: string, manager: EntityManager): Promise<StepCommand | undefined> {
    const rows: CommandRow[] = await manager.query(`${SELECT_COMMAND} WHERE c.message_id = $1`, [
      jobId,
    ]);
    return rows[0] === undefined ? undefined : toCommand(rows[0]);
  }

  /** Records how a command ended. */
  async finish(
    id: string,
    status: CommandStatus,
    result: Record<string, unknown>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE commands SET status = $2, result = $3, updated_at = now() WHERE id = $1`,
      [id, status, JSON.stringify(result)],
    );
  }

  /** Marks a command published now to `agentName`. */
  async markSent(id: string, agentName: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE commands SET status = 'sent', sent_at = now(), agent_name = $2, updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'sent')`,
      [id, agentName],
    );
  }

  /**
   * Commands to send: queued ones, sent ones older than `staleBefore`, those `agent` had been
   * sent before it reported its inventory (it restarted: they may be lost with its queue consumer),
   * and those of agentless roots sent to a proxy now lost (to hand over to the next proxy).
   */
  async dueForSending(
    staleBefore: Date,
    manager: EntityManager,
    agent?: { readonly name: string; readonly sentBefore: Date },
  ): Promise<StepCommand[]> {
    const rows: CommandRow[] = await manager.query(
      `${SELECT_COMMAND} WHERE c.status = 'queued'
         OR (c.status = 'sent' AND (c.sent_at < $1 OR (c.agent_name = $2::varchar AND c.sent_at < $3)))
         OR (c.status = 'sent' AND r.id IN (SELECT instance_id FROM agentless_targets)
           AND c.agent_name IN (SELECT name FROM agents WHERE is_lost OR state <> 'trusted'))
       ORDER BY c.created_at`,
      [staleBefore, agent?.name ?? null, agent?.sentBefore ?? null],
    );
    return rows.map(toCommand);
  }

  /** The most recent commands of one instance, newest first. */
  async recentOf(
    instanceId: string,
    limit: number,
    manager: EntityManager,
  ): Promise<StepCommand[]> {
    const rows: CommandRow[] = await manager.query(
      `${SELECT_COMMAND} WHERE c.instance_id = $1 ORDER BY c.created_at DESC LIMIT $2`,
      [instanceId, limit],
    );
    return rows.map(toCommand);
  }
}

function toCommand(row: CommandRow): StepCommand {
  return {
    id: row.id,
    jobId: row.message_id,
    applicationId: row.application_id,
    instanceId: row.instance_id,
    instancePath: row.path,
    step: row.step,
    attempt: row.attempt,
    status: row.status,
    agentName: row.agent_name,
    details: row.details,
    sentAt: row.sent_at,
    result: row.result,
  };
}
