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

/** A step to queue as a job whose id the caller chose. */
export interface QueuedStep {
  readonly jobId: string;
  readonly instanceId: string;
  readonly agentName: string | null;
  readonly step: LifecycleStep;
}

/** How a job ended, to record. */
export interface FinishedJob {
  readonly id: string;
  readonly status: CommandStatus;
  readonly result: Record<string, unknown>;
}

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
    const jobId = randomUUID();
    await this.queueAll([{ jobId, instanceId, agentName, step }], manager);
    return jobId;
  }

  /**
   * Queues jobs in one statement, in order: each attempt follows the instance's previous ones for
   * that step (and the ones before it in `steps`).
   */
  async queueAll(steps: readonly QueuedStep[], manager: EntityManager): Promise<void> {
    if (steps.length === 0) {
      return;
    }
    await manager.query(
      `INSERT INTO commands (instance_id, step, status, attempt, message_id, agent_name, details)
       SELECT u.instance_id, u.step::step_kind, 'queued',
         coalesce((SELECT max(c.attempt) FROM commands c
           WHERE c.instance_id = u.instance_id AND c.step = u.step::step_kind), 0)
         + row_number() OVER (PARTITION BY u.instance_id, u.step ORDER BY u.position),
         u.message_id, u.agent_name, u.details::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[])
         WITH ORDINALITY AS u(instance_id, step, message_id, agent_name, details, position)
       ORDER BY u.position`,
      [
        steps.map((entry) => entry.instanceId),
        steps.map((entry) => entry.step.kind),
        steps.map((entry) => entry.jobId),
        steps.map((entry) => entry.agentName),
        steps.map((entry) => JSON.stringify(entry.step)),
      ],
    );
  }

  /** The command of a job, locked for the result's transaction. */
  async lockByJobId(jobId: string, manager: EntityManager): Promise<StepCommand | undefined> {
    const rows: CommandRow[] = await manager.query(
      `${SELECT_COMMAND} WHERE c.message_id = $1 FOR UPDATE OF c`,
      [jobId],
    );
    return rows[0] === undefined ? undefined : toCommand(rows[0]);
  }

  /** The commands of these jobs by job id, locked for the results' transaction. */
  async lockByJobIds(
    jobIds: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, StepCommand>> {
    const rows: CommandRow[] = await manager.query(
      `${SELECT_COMMAND} WHERE c.message_id = ANY($1::uuid[]) FOR UPDATE OF c`,
      [jobIds],
    );
    return new Map(rows.map((row) => [row.message_id, toCommand(row)]));
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

  /** Records how several commands ended, in one statement. */
  async finishAll(jobs: readonly FinishedJob[], manager: EntityManager): Promise<void> {
    if (jobs.length === 0) {
      return;
    }
    await manager.query(
      `UPDATE commands AS c SET status = u.status::command_status, result = u.result::jsonb,
         updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, status, result)
       WHERE c.id = u.id`,
      [
        jobs.map((job) => job.id),
        jobs.map((job) => job.status),
        jobs.map((job) => JSON.stringify(job.result)),
      ],
    );
  }

  /**
   * Marks commands published now to their agents, in one statement; a command already finished
   * (its result came first) keeps its status.
   */
  async markAllSent(
    sent: ReadonlyArray<{ readonly id: string; readonly agentName: string }>,
    manager: EntityManager,
  ): Promise<void> {
    if (sent.length === 0) {
      return;
    }
    await manager.query(
      `UPDATE commands AS c SET status = 'sent', sent_at = now(), agent_name = u.agent_name,
         updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS u(id, agent_name)
       WHERE c.id = u.id AND c.status IN ('queued', 'sent')`,
      [sent.map((entry) => entry.id), sent.map((entry) => entry.agentName)],
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
