import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Transaction } from '../../persistence/transaction-runner';
import type { Instance, NewInstance } from './application';
import { InstanceEntity } from './entities/instance.entity';

function fromRow(row: InstanceEntity): Instance {
  const lastSlash = row.path.lastIndexOf('/');
  return {
    id: row.id,
    path: row.path,
    name: row.path.slice(lastSlash + 1),
    component: row.component,
    // A path is its parent's path, a slash and the instance name.
    parentPath: row.parentId ? row.path.slice(0, lastSlash) : null,
    desiredState: row.desiredState,
    actualState: row.actualState,
    agentName: row.agentName,
    exports: row.exports,
    lastFailure: row.lastFailure,
  };
}

/** Reads an application's instances and binds root instances to agents. */
@Injectable()
export class InstancesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every instance of the application, by path (so parents come before their children). */
  async listByApplication(applicationId: string, tx?: Transaction): Promise<Instance[]> {
    const rows = await (tx ?? this.dataSource.manager)
      .getRepository(InstanceEntity)
      .find({ where: { applicationId }, order: { path: 'ASC' } });
    return rows.map(fromRow);
  }

  /** The instance at that path, locked until the transaction ends. */
  async lockByPath(applicationId: string, path: string, tx: Transaction) {
    const row = await tx
      .getRepository(InstanceEntity)
      .findOne({ where: { applicationId, path }, lock: { mode: 'pessimistic_write' } });
    return row ? fromRow(row) : null;
  }

  /** Inserts one instance of the application. */
  async insert(applicationId: string, instance: NewInstance, tx: Transaction): Promise<void> {
    await tx.getRepository(InstanceEntity).insert({ ...instance, applicationId });
  }

  /** Deletes an instance; its descendants and their commands go with it (ON DELETE CASCADE). */
  async delete(instanceId: string, tx: Transaction): Promise<void> {
    await tx.getRepository(InstanceEntity).delete({ id: instanceId });
  }

  /** Binds (or, with null, unbinds) an instance to an agent. */
  async setAgent(instanceId: string, agentName: string | null, tx: Transaction): Promise<void> {
    await tx.getRepository(InstanceEntity).update({ id: instanceId }, { agentName });
  }
}
