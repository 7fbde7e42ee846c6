import { Injectable } from '@nestjs/common';
import type { ExternalExport } from '@flotilla/model';
import type { EntityManager } from 'typeorm';

interface ExporterRow {
  application: string;
  prefix: string | null;
  aliases: Record<string, string> | null;
  path: string;
  exports: Record<string, string>;
}

/**
 * Roboconf's application bindings as the reconciler needs them: the exports of the started
 * instances of the applications bound to an application (under the bound template's
 * `exports-prefix` and export aliases), and which applications are bound to a given one.
 */
@Injectable()
export class BoundExportsRepository {
  /**
   * The exports an application's external imports see: for every application bound to it, each
   * started instance that has a value for one of the template's exported variables, as
   * `<exports-prefix>.<alias>` (sorted by application, then path).
   */
  async exportsBoundTo(applicationId: string, manager: EntityManager): Promise<ExternalExport[]> {
    const rows: ExporterRow[] = await manager.query(
      `SELECT e.name AS application, t.model->>'exportsPrefix' AS prefix,
         t.model->'externalExports' AS aliases, i.path, i.exports
       FROM applications a
       CROSS JOIN LATERAL jsonb_each(a.bindings) AS b(prefix, names)
       JOIN applications e ON b.names ? e.name
       JOIN templates t ON t.id = e.template_id
       JOIN instances i ON i.application_id = e.id AND i.actual_state = 'deployed_started'
       WHERE a.id = $1 AND t.model->>'exportsPrefix' = b.prefix
       ORDER BY e.name, i.path`,
      [applicationId],
    );
    return rows.flatMap((row) => externalExportOf(row));
  }

  /** The ids of the applications that an operator bound to the named one, for any prefix. */
  async importersOf(applicationName: string, manager: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT DISTINCT a.id FROM applications a
       CROSS JOIN LATERAL jsonb_each(a.bindings) AS b(prefix, names)
       WHERE b.names ? $1 ORDER BY a.id`,
      [applicationName],
    );
    return rows.map((row) => row.id);
  }
}

function externalExportOf(row: ExporterRow): ExternalExport[] {
  if (row.prefix === null) {
    return [];
  }
  const values: Record<string, string> = {};
  for (const [alias, variable] of Object.entries(row.aliases ?? {})) {
    const value = row.exports[variable];
    if (value !== undefined) {
      values[`${row.prefix}.${alias}`] = value;
    }
  }
  if (Object.keys(values).length === 0) {
    return [];
  }
  return [{ application: row.application, prefix: row.prefix, instancePath: row.path, values }];
}
