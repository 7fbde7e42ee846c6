import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ResolvedGraph } from '@flotilla/model';
import { DmError } from '../../errors';
import { TransactionRunner, type Transaction } from '../../persistence/transaction-runner';
import { AgentsRepository } from '../agents/agents.repository';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import { TemplatesRepository } from '../templates/templates.repository';
import type { Instance } from './application';
import { ApplicationsRepository } from './applications.repository';
import { InstancesRepository } from './instances.repository';

/** Instance names as Roboconf allows them: no slash, no leading or trailing space. */
const INSTANCE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_. -]{0,127}(?<! )$/;

/** An instance to add at runtime. */
export interface NewInstanceRequest {
  /** Absent for a new root instance. */
  readonly parentPath?: string;
  readonly name: string;
  readonly component: string;
  /** The agent of a new root instance. */
  readonly agent?: string;
}

/** Adds and removes instances of a running application, within what its graph allows. */
@Injectable()
export class InstanceTreeService {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly instances: InstancesRepository,
    private readonly templates: TemplatesRepository,
    private readonly agents: AgentsRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /**
   * Adds an undeployed instance under a parent (or as a root) when the graph allows it there.
   * @throws DmError NOT_FOUND (application, parent, agent), REQUEST_INVALID (name, component,
   * placement), CONFLICT (path taken).
   */
  async add(applicationName: string, request: NewInstanceRequest, operator: Operator) {
    return this.transactions.run(async (tx): Promise<Instance> => {
      const { id: applicationId, graph, existing } = await this.load(applicationName, tx);
      const parent = request.parentPath ? existing.get(request.parentPath) : undefined;
      if (request.parentPath && !parent) {
        throw new DmError('NOT_FOUND', `No instance ${request.parentPath} in ${applicationName}`, {
          application: applicationName,
          instance: request.parentPath,
        });
      }
      checkPlacement(applicationName, graph, request, parent?.component);
      const path = `${request.parentPath ?? ''}/${request.name}`;
      if (existing.has(path)) {
        throw new DmError('CONFLICT', `Instance ${path} already exists in ${applicationName}`, {
          application: applicationName,
          instance: path,
        });
      }
      if (request.agent !== undefined && !(await this.agents.lockByName(request.agent, tx))) {
        throw new DmError('NOT_FOUND', `No agent named ${request.agent}`, { agent: request.agent });
      }
      const agentName = parent ? null : (request.agent ?? null);
      const id = randomUUID();
      await this.instances.insert(
        applicationId,
        { id, path, component: request.component, parentId: parent?.id ?? null, agentName },
        tx,
      );
      await this.record(operator, 'instance.add', applicationName, path, tx, {
        component: request.component,
      });
      const added = await this.instances.lockByPath(applicationId, path, tx);
      return added!;
    });
  }

  /**
   * Removes an instance and its descendants when none of them is deployed.
   * @throws DmError NOT_FOUND, or CONFLICT naming the deployed instances.
   */
  async remove(applicationName: string, path: string, operator: Operator): Promise<void> {
    await this.transactions.run(async (tx) => {
      const { existing } = await this.load(applicationName, tx);
      const instance = existing.get(path);
      if (!instance) {
        throw new DmError('NOT_FOUND', `No instance ${path} in ${applicationName}`, {
          application: applicationName,
          instance: path,
        });
      }
      const deployed = [...existing.values()]
        .filter((other) => other.path === path || other.path.startsWith(`${path}/`))
        .filter((other) => other.actualState !== 'not_deployed')
        .map((other) => `${other.path} (${other.actualState})`);
      if (deployed.length > 0) {
        throw new DmError(
          'CONFLICT',
          `Instance ${path} of ${applicationName} cannot be removed while deployed: ${deployed.join(', ')}`,
          { application: applicationName, instances: deployed },
        );
      }
      await this.instances.delete(instance.id, tx);
      await this.record(operator, 'instance.remove', applicationName, path, tx);
    });
  }

  private async load(applicationName: string, tx: Transaction) {
    const application = await this.applications.lockByName(applicationName, tx);
    const template = application ? await this.templates.findById(application.templateId, tx) : null;
    if (!application || !template) {
      throw new DmError('NOT_FOUND', `No application named ${applicationName}`, {
        application: applicationName,
      });
    }
    const instances = await this.instances.listByApplication(application.id, tx);
    return {
      id: application.id,
      graph: template.model.graph,
      existing: new Map(instances.map((instance) => [instance.path, instance])),
    };
  }

  private async record(
    operator: Operator,
    action: string,
    applicationName: string,
    path: string,
    tx: Transaction,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.record(
      {
        actor: operatorActor(operator),
        action,
        target: `instance:${applicationName}${path}`,
        details,
      },
      tx,
    );
  }
}

/**
 * Checks the name, and that the graph lets the component stand there.
 * @throws DmError REQUEST_INVALID naming the application, component and parent.
 */
function checkPlacement(
  applicationName: string,
  graph: ResolvedGraph,
  request: NewInstanceRequest,
  parentComponent: string | undefined,
): void {
  const refuse = (reason: string) => {
    throw new DmError(
      'REQUEST_INVALID',
      `Cannot add ${request.name} to ${applicationName}: ${reason}`,
      {
        application: applicationName,
        component: request.component,
      },
    );
  };
  if (!INSTANCE_NAME.test(request.name)) {
    refuse('the name must be letters, digits, "_", "-", "." or inner spaces, without "/"');
  }
  const component = graph.components[request.component];
  if (!component) {
    refuse(`the graph has no component ${request.component}`);
  } else if (parentComponent === undefined && !component.isRoot) {
    refuse(`${request.component} is not a root component (installer target)`);
  } else if (
    parentComponent !== undefined &&
    !(graph.components[parentComponent]?.children ?? []).includes(request.component)
  ) {
    refuse(`${parentComponent} instances cannot hold ${request.component} instances`);
  }
}
