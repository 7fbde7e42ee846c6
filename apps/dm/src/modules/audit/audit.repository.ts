import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { asJsonb } from '../../persistence/as-jsonb';
import type { AuditEntry, AuditEntryInput, AuditQuery } from './audit-entry';
import { AuditEntryEntity } from './entities/audit-entry.entity';

function fromRow(row: AuditEntryEntity): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target ?? '',
    details: row.details,
  };
}

/** Appends to and reads the audit log table. */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends an entry; pass the transaction's manager to record it atomically with the change it
   * describes (and, on the one-connection embedded pool, to avoid waiting on oneself).
   */
  async append(entry: AuditEntryInput, manager: EntityManager = this.dataSource.manager) {
    await manager.insert(AuditEntryEntity, {
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      details: asJsonb(entry.details ?? {}),
    });
  }

  /** Appends several entries in one INSERT (a reconciler batch audits each result it applied). */
  async appendAll(entries: readonly AuditEntryInput[], manager: EntityManager): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    await manager.insert(
      AuditEntryEntity,
      entries.map((entry) => ({
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        details: asJsonb(entry.details ?? {}),
      })),
    );
  }

  /** The newest entries first, filtered. */
  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const rows = await this.dataSource.getRepository(AuditEntryEntity).find({
      // TypeORM 1.x refuses `undefined` in a where clause: leave absent filters out.
      where: Object.fromEntries(
        Object.entries({ action: query.action, actor: query.actor, target: query.target }).filter(
          ([, value]) => value !== undefined,
        ),
      ),
      order: { id: 'DESC' },
      take: query.limit,
    });
    return rows.map(fromRow);
  }
}
