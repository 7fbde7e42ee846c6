import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { asJsonb } from '../../persistence/as-jsonb';
import type { Transaction } from '../../persistence/transaction-runner';
import type { Agent, EnrollmentRequest } from './agent';
import { AgentEntity, type AgentState } from './entities/agent.entity';
import { EnrollmentTokenUseEntity } from './entities/enrollment-token-use.entity';

function fromRow(row: AgentEntity): Agent {
  return {
    name: row.name,
    thumbprint: row.thumbprint,
    nextThumbprint: row.nextThumbprint,
    state: row.state,
    hostFacts: row.hostFacts,
    brokerUser: row.brokerUser,
    lastSeenAt: row.lastSeenAt,
    isLost: row.isLost,
    createdAt: row.createdAt,
  };
}

/** The agents table (and the spent enrollment tokens); the future `TrustStore` reads it too. */
@Injectable()
export class AgentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every agent, by name. */
  async list(): Promise<Agent[]> {
    const rows = await this.dataSource.getRepository(AgentEntity).find({ order: { name: 'ASC' } });
    return rows.map(fromRow);
  }

  /** The agent with that name, if any. */
  async findByName(name: string): Promise<Agent | null> {
    const row = await this.dataSource.getRepository(AgentEntity).findOneBy({ name });
    return row ? fromRow(row) : null;
  }

  /** The agent with that name, locked until the transaction ends. */
  async lockByName(name: string, tx: Transaction): Promise<Agent | null> {
    const row = await tx
      .getRepository(AgentEntity)
      .findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
    return row ? fromRow(row) : null;
  }

  /** Sets the state of the agent and returns it. */
  async setState(name: string, state: AgentState, tx: Transaction): Promise<Agent> {
    await tx.getRepository(AgentEntity).update({ name }, { state });
    return fromRow(await tx.getRepository(AgentEntity).findOneByOrFail({ name }));
  }

  /** Inserts a new agent; null when another transaction inserted that name first. */
  async insertIfAbsent(
    request: EnrollmentRequest,
    state: AgentState,
    tx: Transaction,
  ): Promise<Agent | null> {
    return this.insertRowIfAbsent(
      {
        name: request.name,
        thumbprint: request.thumbprint,
        state,
        hostFacts: asJsonb(request.hostFacts),
        lastSeenAt: new Date(),
      },
      tx,
    );
  }

  /**
   * Inserts a trusted agent that has never been seen (pre-registered at install, no host facts
   * yet); null when that name exists already.
   */
  async insertPreregistered(
    name: string,
    thumbprint: string,
    tx: Transaction,
  ): Promise<Agent | null> {
    return this.insertRowIfAbsent(
      { name, thumbprint, state: 'trusted', hostFacts: asJsonb({}), lastSeenAt: null },
      tx,
    );
  }

  private async insertRowIfAbsent(
    row: Pick<AgentEntity, 'name' | 'thumbprint' | 'state' | 'lastSeenAt'> & {
      hostFacts: Record<string, object>;
    },
    tx: Transaction,
  ): Promise<Agent | null> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(AgentEntity)
      .values(row)
      .orIgnore()
      .execute();
    if ((result.raw as unknown[]).length === 0) {
      return null;
    }
    return fromRow(await tx.getRepository(AgentEntity).findOneByOrFail({ name: row.name }));
  }

  /** Records that a known agent presented itself again, with its current host facts. */
  async touch(name: string, hostFacts: Record<string, unknown>, tx: Transaction): Promise<Agent> {
    await tx
      .getRepository(AgentEntity)
      .update({ name }, { hostFacts: asJsonb(hostFacts), lastSeenAt: new Date() });
    return fromRow(await tx.getRepository(AgentEntity).findOneByOrFail({ name }));
  }

  /** Spends a one-time token; false when it was spent before. */
  async spendToken(tokenHash: string, agentName: string, tx: Transaction): Promise<boolean> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(EnrollmentTokenUseEntity)
      .values({ tokenHash, agentName })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /**
   * Marks many heartbeats in one statement (each agent last seen at its latest beat, not lost);
   * returns the names of the agents that exist.
   */
  async recordHeartbeats(beats: ReadonlyMap<string, Date>): Promise<Set<string>> {
    // TypeORM answers an UPDATE with [returned rows, affected count].
    const [updated] = await this.dataSource.query<[Array<{ name: string }>, number]>(
      `UPDATE agents SET last_seen_at = beat.at, is_lost = false, updated_at = now()
         FROM unnest($1::text[], $2::timestamptz[]) AS beat(name, at)
        WHERE agents.name = beat.name
        RETURNING agents.name`,
      [[...beats.keys()], [...beats.values()].map((at) => at.toISOString())],
    );
    return new Set(updated.map((row) => row.name));
  }

  /** Marks trusted agents silent since `silentSince` as lost; returns their names. */
  async markLost(silentSince: Date): Promise<string[]> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(AgentEntity)
      .set({ isLost: true })
      .where('state = :state AND is_lost = false AND last_seen_at < :silentSince', {
        state: 'trusted',
        silentSince,
      })
      .returning(['name'])
      .execute();
    return (result.raw as Array<{ name: string }>).map((row) => row.name);
  }
}
