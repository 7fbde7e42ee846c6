import { Injectable } from '@nestjs/common';
import type { ResolvedGraph } from '@flotilla/model';
import { DmError } from '../../errors';
import { TransactionRunner, type Transaction } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import { ReconcilerService } from '../deployments/reconciler.service';
import { TemplatesRepository } from '../templates/templates.repository';
import { ApplicationsRepository } from './applications.repository';

/** A binding: this application's external imports of `prefix` come from `application`. */
export interface ApplicationBinding {
  readonly prefix: string;
  readonly application: string;
}

/** The prefixes of every external import of a graph. */
function externalPrefixes(graph: ResolvedGraph): Set<string> {
  return new Set(
    Object.values(graph.components).flatMap((component) =>
      component.imports.filter((entry) => entry.external).map((entry) => entry.prefix),
    ),
  );
}

/** The bindings with one application added to (or removed from) one prefix; empty prefixes go. */
function changedBindings(
  bindings: Readonly<Record<string, string[]>>,
  binding: ApplicationBinding,
  isBound: boolean,
): Record<string, string[]> {
  const others = (bindings[binding.prefix] ?? []).filter((name) => name !== binding.application);
  const next = isBound ? [...others, binding.application].sort() : others;
  const changed = { ...bindings, [binding.prefix]: next };
  if (next.length === 0) {
    delete changed[binding.prefix];
  }
  return changed;
}

/**
 * Roboconf's application bindings: which applications answer an application's external imports.
 * A binding names a prefix the application imports externally and an application whose template
 * exports under that prefix (`exports-prefix`).
 */
@Injectable()
export class ApplicationBindingsService {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly templates: TemplatesRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly reconciler: ReconcilerService,
  ) {}

  /**
   * Binds (idempotently) or unbinds an application to another for one external prefix, then
   * reconciles the application with the exports now bound to it.
   * @throws DmError NOT_FOUND for an unknown application; REQUEST_INVALID when the prefix is not
   * imported externally or the other application does not export it.
   */
  async change(
    applicationName: string,
    binding: ApplicationBinding,
    isBound: boolean,
    operator: Operator,
  ): Promise<Record<string, string[]>> {
    const changed = await this.transactions.run(async (tx) => {
      const importer = await this.applications.lockByName(applicationName, tx);
      const importerTemplate = importer
        ? await this.templates.findById(importer.templateId, tx)
        : null;
      if (!importer || !importerTemplate) {
        throw new DmError('NOT_FOUND', `No application named ${applicationName}`, {
          application: applicationName,
        });
      }
      if (isBound) {
        await this.checkBindable(applicationName, importerTemplate.model.graph, binding, tx);
      }
      const bindings = changedBindings(importer.bindings, binding, isBound);
      await this.applications.setBindings(importer.id, bindings, tx);
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: isBound ? 'application.bind' : 'application.unbind',
          target: `application:${applicationName}`,
          details: { ...binding },
        },
        tx,
      );
      return bindings;
    });
    await this.reconciler.refreshBindings(applicationName);
    return changed;
  }

  private async checkBindable(
    applicationName: string,
    graph: ResolvedGraph,
    binding: ApplicationBinding,
    tx: Transaction,
  ): Promise<void> {
    if (!externalPrefixes(graph).has(binding.prefix)) {
      throw new DmError(
        'REQUEST_INVALID',
        `Application ${applicationName} imports nothing external with the prefix ${binding.prefix}`,
        { application: applicationName, prefix: binding.prefix },
      );
    }
    const exporter = await this.applications.findByName(binding.application, tx);
    const exporterTemplate = exporter
      ? await this.templates.find(exporter.templateName, exporter.templateVersion, tx)
      : null;
    if (!exporterTemplate) {
      throw new DmError('NOT_FOUND', `No application named ${binding.application}`, {
        application: binding.application,
      });
    }
    if (exporterTemplate.model.exportsPrefix !== binding.prefix) {
      throw new DmError(
        'REQUEST_INVALID',
        `Application ${binding.application} exports under ${exporterTemplate.model.exportsPrefix ?? 'no prefix'}, not ${binding.prefix}`,
        { application: binding.application, prefix: binding.prefix },
      );
    }
  }
}
