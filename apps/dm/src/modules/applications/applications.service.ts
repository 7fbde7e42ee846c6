import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { InstanceDefinition } from '@flotilla/model';
import { DmError } from '../../errors';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import { TemplatesRepository } from '../templates/templates.repository';
import { AGENT_PROPERTY, type Application, type NewInstance } from './application';
import { ApplicationsRepository } from './applications.repository';
import { InstancesRepository } from './instances.repository';

/** What an operator asks for to create an application. */
export interface CreateApplication {
  readonly name: string;
  readonly template: string;
  /** Absent: the newest stored version of the template. */
  readonly templateVersion?: string;
}

/** Gives every instance definition an id, links it to its parent's, and reads its agent binding. */
export function planInstances(definitions: readonly InstanceDefinition[]): NewInstance[] {
  const idByPath = new Map<string, string>();
  return definitions.map((definition) => {
    const id = randomUUID();
    idByPath.set(definition.path, id);
    const isRoot = definition.parentPath === undefined;
    return {
      id,
      path: definition.path,
      component: definition.component,
      parentId: isRoot ? null : (idByPath.get(definition.parentPath) ?? null),
      agentName: isRoot ? (definition.properties[AGENT_PROPERTY] ?? null) : null,
    };
  });
}

/** Creates applications from stored templates, lists and deletes them; all or nothing. */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly instances: InstancesRepository,
    private readonly templates: TemplatesRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** Every application, by name. */
  async list(): Promise<Application[]> {
    return this.applications.list();
  }

  /** @throws DmError NOT_FOUND when no application has that name. */
  async get(name: string): Promise<Application> {
    const application = await this.applications.findByName(name);
    if (!application) {
      throw new DmError('NOT_FOUND', `No application named ${name}`, { application: name });
    }
    return application;
  }

  /**
   * Creates the application and every instance of its template's instances file, in one
   * transaction.
   * @throws DmError NOT_FOUND for an unknown template, CONFLICT when the name is taken.
   */
  async create(request: CreateApplication, operator: Operator): Promise<Application> {
    return this.transactions.run(async (tx) => {
      const template = await this.templates.find(request.template, request.templateVersion, tx);
      if (!template) {
        const version = request.templateVersion ? ` version "${request.templateVersion}"` : '';
        throw new DmError('NOT_FOUND', `No template named ${request.template}${version}`, {
          template: request.template,
        });
      }
      const application = await this.applications.insert(
        { name: request.name, templateId: template.id },
        planInstances(template.model.instances),
        tx,
      );
      if (!application) {
        throw new DmError('CONFLICT', `An application named ${request.name} already exists`, {
          application: request.name,
        });
      }
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: 'application.create',
          target: `application:${request.name}`,
          details: { template: template.name, version: template.version },
        },
        tx,
      );
      return application;
    });
  }

  /**
   * Deletes an application whose instances are all undeployed.
   * @throws DmError NOT_FOUND for an unknown application, CONFLICT naming the deployed instances.
   */
  async delete(name: string, operator: Operator): Promise<void> {
    await this.transactions.run(async (tx) => {
      const application = await this.applications.findByName(name, tx);
      if (!application) {
        throw new DmError('NOT_FOUND', `No application named ${name}`, { application: name });
      }
      const deployed = (await this.instances.listByApplication(application.id, tx))
        .filter((instance) => instance.actualState !== 'not_deployed')
        .map((instance) => `${instance.path} (${instance.actualState})`);
      if (deployed.length > 0) {
        throw new DmError(
          'CONFLICT',
          `Application ${name} still has deployed instances: ${deployed.join(', ')}; undeploy them first`,
          { application: name, instances: deployed },
        );
      }
      await this.applications.delete(application.id, tx);
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: 'application.delete',
          target: `application:${name}`,
        },
        tx,
      );
    });
  }
}
