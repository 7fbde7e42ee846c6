import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Transaction } from '../../persistence/transaction-runner';
import type { Application, NewInstance } from './application';
import { ApplicationEntity } from './entities/application.entity';
import { InstanceEntity } from './entities/instance.entity';

/** Instance rows per INSERT: 6 parameters each, well under PostgreSQL's 65,535 per statement. */
const INSTANCES_PER_INSERT = 5_000;

type ApplicationRow = ApplicationEntity & { instanceCount: number };

function fromRow(row: ApplicationRow): Application {
  return {
    id: row.id,
    name: row.name,
    templateName: row.template?.name ?? '',
    templateVersion: row.template?.version ?? '',
    bindings: row.bindings,
    instanceCount: row.instanceCount,
    createdAt: row.createdAt,
  };
}

/** Applications and the creation and deletion of their instance trees. */
@Injectable()
export class ApplicationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every application, by name. */
  async list(): Promise<Application[]> {
    const rows = await this.dataSource
      .getRepository(ApplicationEntity)
      .createQueryBuilder('application')
      .leftJoinAndSelect('application.template', 'template')
      .orderBy('application.name')
      .getMany();
    return Promise.all(rows.map((row) => this.withCount(row)));
  }

  /** The application of that name, if any. */
  async findByName(name: string, tx?: Transaction): Promise<Application | null> {
    const row = await (tx ?? this.dataSource.manager)
      .getRepository(ApplicationEntity)
      .findOne({ where: { name }, relations: { template: true } });
    return row ? this.withCount(row, tx) : null;
  }

  /** The id, template and bindings of the application, its row locked until the transaction ends. */
  async lockByName(
    name: string,
    tx: Transaction,
  ): Promise<Pick<ApplicationEntity, 'id' | 'templateId' | 'bindings'> | null> {
    // The reconciler locks the same row while it changes an application: one writer at a time.
    return tx.getRepository(ApplicationEntity).findOne({
      select: { id: true, templateId: true, bindings: true },
      where: { name },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Replaces the application's bindings (external import prefix → application names). */
  async setBindings(id: string, bindings: Record<string, string[]>, tx: Transaction) {
    await tx.getRepository(ApplicationEntity).update({ id }, { bindings });
  }

  private async withCount(row: ApplicationEntity, tx?: Transaction): Promise<Application> {
    const instanceCount = await (tx ?? this.dataSource.manager)
      .getRepository(InstanceEntity)
      .countBy({ applicationId: row.id });
    return fromRow({ ...row, instanceCount });
  }

  /** Inserts an application and its instances (parents before children); null if the name is taken. */
  async insert(
    application: { name: string; templateId: string },
    instances: readonly NewInstance[],
    tx: Transaction,
  ): Promise<Application | null> {
    const inserted = await tx
      .createQueryBuilder()
      .insert()
      .into(ApplicationEntity)
      .values({ name: application.name, templateId: application.templateId })
      .orIgnore()
      .returning(['id'])
      .execute();
    const [row] = inserted.raw as Array<{ id: string }>;
    if (!row) {
      return null;
    }
    // In order (parents first), in statements small enough for PostgreSQL's 65,535 bind parameters.
    for (let start = 0; start < instances.length; start += INSTANCES_PER_INSERT) {
      await tx
        .getRepository(InstanceEntity)
        .insert(
          instances
            .slice(start, start + INSTANCES_PER_INSERT)
            .map((instance) => ({ ...instance, applicationId: row.id })),
        );
    }
    return this.findByName(application.name, tx);
  }

  /** Deletes an application; its instances and their commands go with it (ON DELETE CASCADE). */
  async delete(id: string, tx: Transaction): Promise<void> {
    await tx.getRepository(ApplicationEntity).delete({ id });
  }
}
