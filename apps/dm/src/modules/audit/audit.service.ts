import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEntry, AuditEntryInput, AuditQuery } from './audit-entry';
import { AuditRepository } from './audit.repository';

/** Records who did what, and answers the operators' questions about it. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  /** Records one entry, inside the caller's transaction when a manager is given. */
  async record(entry: AuditEntryInput, manager?: EntityManager): Promise<void> {
    await this.repository.append(entry, manager);
  }

  /** Records several entries in one statement, inside the caller's transaction. */
  async recordAll(entries: readonly AuditEntryInput[], manager: EntityManager): Promise<void> {
    await this.repository.appendAll(entries, manager);
  }

  /** The newest matching entries first. */
  async list(query: AuditQuery): Promise<AuditEntry[]> {
    return this.repository.list(query);
  }
}
