import { Injectable } from '@nestjs/common';
import {
  TrustStoreError,
  type TrustRecord,
  type TrustState,
  type TrustStore,
} from '@flotilla/messaging';
import { DataSource } from 'typeorm';
import type { AgentState } from '../agents/entities/agent.entity';
import { toEnvelopeThumbprint, toStoredThumbprint } from './thumbprints';

/** One row of the agents table joined with its credentials. */
interface TrustRow {
  name: string;
  thumbprint: string;
  next_thumbprint: string | null;
  state: AgentState;
  broker_user: string | null;
  certificate_pem: string;
  next_certificate_pem: string | null;
  encryption_public_key: string;
}

const SELECT_TRUST = `SELECT a.name, a.thumbprint, a.next_thumbprint, a.state, a.broker_user,
  c.certificate_pem, c.next_certificate_pem, c.encryption_public_key
  FROM agents a JOIN agent_credentials c ON c.agent_name = a.name`;

/** How the agents table's operator states read as envelope trust states. */
const TRUST_STATE_OF: Readonly<Record<AgentState, TrustState>> = {
  pending: 'pending',
  trusted: 'trusted',
  revoked: 'revoked',
  rejected: 'revoked',
};

/** How trust states are written back as operator states. */
const AGENT_STATE_OF: Readonly<Record<TrustState, AgentState>> = {
  pending: 'pending',
  trusted: 'trusted',
  revoked: 'revoked',
};

/**
 * The DM's trust store on PostgreSQL: the agents table (state, thumbprints, broker user) joined
 * with `agent_credentials` (certificates, encryption key). Every lookup reads the database, so an
 * operator's revocation refuses the agent's very next message.
 */
@Injectable()
export class PgTrustStore implements TrustStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(thumbprint: string): Promise<TrustRecord | undefined> {
    const stored = toStoredThumbprint(thumbprint);
    const rows: TrustRow[] = await this.dataSource.query(
      `${SELECT_TRUST} WHERE a.thumbprint = $1 OR a.next_thumbprint = $1`,
      [stored],
    );
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async upsert(record: TrustRecord): Promise<void> {
    const name = agentNameOf(record);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO agents (name, thumbprint, next_thumbprint, state, broker_user)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET thumbprint = $2, next_thumbprint = $3, state = $4,
           broker_user = $5, updated_at = now()`,
        [
          name,
          toStoredThumbprint(record.thumbprint),
          record.nextThumbprint === undefined ? null : toStoredThumbprint(record.nextThumbprint),
          AGENT_STATE_OF[record.state],
          record.brokerUser ?? null,
        ],
      );
      await manager.query(
        `INSERT INTO agent_credentials (agent_name, certificate_pem, next_certificate_pem, encryption_public_key)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (agent_name) DO UPDATE SET certificate_pem = $2, next_certificate_pem = $3,
           encryption_public_key = $4, updated_at = now()`,
        [
          name,
          record.certificatePem,
          record.nextCertificatePem ?? null,
          record.encryptionPublicKey ?? '',
        ],
      );
    });
  }

  async setState(thumbprint: string, state: TrustState): Promise<TrustRecord> {
    const record = await this.require(thumbprint);
    await this.dataSource.query(
      `UPDATE agents SET state = $2, updated_at = now() WHERE name = $1`,
      [agentNameOf(record), AGENT_STATE_OF[state]],
    );
    return { ...record, state };
  }

  async list(): Promise<TrustRecord[]> {
    const rows: TrustRow[] = await this.dataSource.query(`${SELECT_TRUST} ORDER BY a.name`);
    return rows.map(toRecord);
  }

  async installNext(
    thumbprint: string,
    next: { thumbprint: string; certificatePem: string },
  ): Promise<TrustRecord> {
    const record = await this.require(thumbprint);
    const name = agentNameOf(record);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE agents SET next_thumbprint = $2 WHERE name = $1`, [
        name,
        toStoredThumbprint(next.thumbprint),
      ]);
      await manager.query(
        `UPDATE agent_credentials SET next_certificate_pem = $2 WHERE agent_name = $1`,
        [name, next.certificatePem],
      );
    });
    return { ...record, nextThumbprint: next.thumbprint, nextCertificatePem: next.certificatePem };
  }

  async promoteNext(thumbprint: string): Promise<TrustRecord> {
    const record = await this.require(thumbprint);
    if (record.nextThumbprint === undefined || record.nextCertificatePem === undefined) {
      throw new TrustStoreError(
        'TRUST_NO_NEXT_THUMBPRINT',
        `agent ${record.role}: no next thumbprint staged for ${thumbprint}`,
        { thumbprint },
      );
    }
    const name = agentNameOf(record);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE agents SET thumbprint = next_thumbprint, next_thumbprint = NULL WHERE name = $1`,
        [name],
      );
      await manager.query(
        `UPDATE agent_credentials SET certificate_pem = next_certificate_pem,
           next_certificate_pem = NULL WHERE agent_name = $1`,
        [name],
      );
    });
    const { nextThumbprint, nextCertificatePem, ...rest } = record;
    return { ...rest, thumbprint: nextThumbprint, certificatePem: nextCertificatePem };
  }

  private async require(thumbprint: string): Promise<TrustRecord> {
    const record = await this.get(thumbprint);
    if (record === undefined) {
      throw new TrustStoreError(
        'TRUST_RECORD_NOT_FOUND',
        `no agent has the current or next thumbprint ${thumbprint}`,
        { thumbprint },
      );
    }
    return record;
  }
}

function toRecord(row: TrustRow): TrustRecord {
  return {
    thumbprint: toEnvelopeThumbprint(row.thumbprint),
    ...(row.next_thumbprint === null
      ? {}
      : { nextThumbprint: toEnvelopeThumbprint(row.next_thumbprint) }),
    ...(row.next_certificate_pem === null ? {} : { nextCertificatePem: row.next_certificate_pem }),
    role: `agent:${row.name}`,
    state: TRUST_STATE_OF[row.state],
    certificatePem: row.certificate_pem,
    ...(row.broker_user === null ? {} : { brokerUser: row.broker_user }),
    encryptionPublicKey: row.encryption_public_key,
  };
}

function agentNameOf(record: TrustRecord): string {
  if (record.role === 'dm') {
    throw new TrustStoreError(
      'TRUST_RECORD_INVALID',
      `the DM's trust store keeps agents only; record ${record.thumbprint} has role dm`,
      { thumbprint: record.thumbprint },
    );
  }
  return record.role.slice('agent:'.length);
}
