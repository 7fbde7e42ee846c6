import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { asJsonb } from '../../persistence/as-jsonb';
import type { Transaction } from '../../persistence/transaction-runner';
import { TemplateEntity } from './entities/template.entity';
import type { NewTemplate, StoredTemplateModel, TemplateSummary } from './template';

/** Every column but the archive bytes. */
const SUMMARY_COLUMNS = {
  id: true,
  name: true,
  version: true,
  digest: true,
  archiveFormat: true,
  createdAt: true,
  model: true,
} as const;

function toSummary(row: TemplateEntity): TemplateSummary {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    digest: row.digest,
    archiveFormat: row.archiveFormat,
    createdAt: row.createdAt,
    model: row.model as unknown as StoredTemplateModel,
  };
}

/** Stores template archives with their loaded model; lists them without the bytes. */
@Injectable()
export class TemplatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every template, newest first. */
  async list(): Promise<TemplateSummary[]> {
    const rows = await this.dataSource
      .getRepository(TemplateEntity)
      .find({ select: SUMMARY_COLUMNS, order: { createdAt: 'DESC' } });
    return rows.map(toSummary);
  }

  /** The template of that name (and version, or else the newest), if any. */
  async find(
    name: string,
    version: string | undefined,
    tx?: Transaction,
  ): Promise<TemplateSummary | null> {
    const row = await (tx ?? this.dataSource.manager).getRepository(TemplateEntity).findOne({
      select: SUMMARY_COLUMNS,
      where: version === undefined ? { name } : { name, version },
      order: { createdAt: 'DESC' },
    });
    return row ? toSummary(row) : null;
  }

  /** The template with that id, if any. */
  async findById(id: string, tx?: Transaction): Promise<TemplateSummary | null> {
    const row = await (tx ?? this.dataSource.manager)
      .getRepository(TemplateEntity)
      .findOne({ select: SUMMARY_COLUMNS, where: { id } });
    return row ? toSummary(row) : null;
  }

  /**
   * Inserts the template and returns what was stored; null when a template with the same name and
   * version exists (a concurrent upload waits for the other to commit, then sees it).
   */
  async insertIfAbsent(template: NewTemplate, tx: Transaction): Promise<TemplateSummary | null> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(TemplateEntity)
      .values({
        ...template,
        model: asJsonb(template.model as unknown as Record<string, unknown>),
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const [row] = result.raw as Array<{ id: string }>;
    return row ? this.findById(row.id, tx) : null;
  }
}
