import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { hasErrors, loadTemplate, type LoadedTemplate } from '@flotilla/model';
import { DmError } from '../../errors';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import { ARCHIVE_EXTENSIONS, detectArchiveFormat, type ArchiveFormat } from './archive-format';
import type { StoredTemplateModel, TemplateSummary } from './template';
import { viewDiagnostics, type DiagnosticView } from './template-diagnostics';
import { TemplatesRepository } from './templates.repository';

/** The outcome of an upload: the stored template, whether it is new, and the loader's warnings. */
export interface TemplateUpload {
  readonly template: TemplateSummary;
  readonly isNew: boolean;
  readonly warnings: readonly DiagnosticView[];
}

/** The archive's file name without extension stands in for Maven placeholders in the name. */
function baseNameOf(fileName: string | undefined): string {
  const bare = (fileName ?? '').replace(/\.(zip|tar\.gz|tgz|tar)$/i, '');
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(bare) ? bare : 'template';
}

function toStoredModel(template: LoadedTemplate): StoredTemplateModel {
  const { rootDir: _rootDir, ...model } = template;
  return model;
}

/** Validates uploaded template archives with the model library and stores the valid ones. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** Every stored template, newest first. */
  async list(): Promise<TemplateSummary[]> {
    return this.templates.list();
  }

  /**
   * Validates and stores an archive; uploading the same archive again is a no-op.
   * @throws DmError REQUEST_INVALID when it is no archive, TEMPLATE_INVALID with every diagnostic
   * when the model library refuses it, CONFLICT when another archive has the same name and version.
   */
  async upload(archive: Buffer, fileName: string | undefined, operator: Operator) {
    const format = detectArchiveFormat(archive);
    if (!format) {
      throw new DmError('REQUEST_INVALID', 'The upload is not a .zip, .tar.gz or .tar archive', {
        fileName,
      });
    }
    const { template, warnings } = await this.validate(archive, format, baseNameOf(fileName));
    const digest = createHash('sha256').update(archive).digest('hex');
    return this.transactions.run(async (tx): Promise<TemplateUpload> => {
      const version = template.version ?? '';
      const stored = await this.templates.insertIfAbsent(
        {
          name: template.name,
          version,
          archive,
          archiveFormat: format,
          digest,
          model: toStoredModel(template),
        },
        tx,
      );
      if (!stored) {
        // Stored before (or by a racing upload that just committed): same bytes or a conflict.
        const existing = await this.templates.find(template.name, version, tx);
        return this.sameOrConflict(existing!, digest, warnings);
      }
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: 'template.upload',
          target: `template:${stored.name}@${stored.version}`,
          details: { digest, format },
        },
        tx,
      );
      return { template: stored, isNew: true, warnings };
    });
  }

  private async validate(archive: Buffer, format: ArchiveFormat, baseName: string) {
    const workDir = await mkdtemp(join(tmpdir(), 'flotilla-dm-upload-'));
    try {
      const archivePath = join(workDir, `${baseName}${ARCHIVE_EXTENSIONS[format]}`);
      await writeFile(archivePath, archive, { mode: 0o600 });
      const result = await loadTemplate(archivePath, { extractTo: join(workDir, 'extracted') });
      const diagnostics = viewDiagnostics(result.diagnostics);
      if (!result.template || hasErrors(result.diagnostics)) {
        throw new DmError(
          'TEMPLATE_INVALID',
          `Template refused: ${diagnostics.filter((d) => d.severity === 'error').length} error(s)`,
          { diagnostics },
        );
      }
      return { template: result.template, warnings: diagnostics };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private sameOrConflict(
    existing: TemplateSummary,
    digest: string,
    warnings: readonly DiagnosticView[],
  ): TemplateUpload {
    if (existing.digest !== digest) {
      throw new DmError(
        'CONFLICT',
        `Template ${existing.name} version "${existing.version}" already exists with another content; change its version`,
        { template: existing.name, version: existing.version },
      );
    }
    return { template: existing, isNew: false, warnings };
  }
}
