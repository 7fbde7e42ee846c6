import { Injectable } from '@nestjs/common';
import { DmError } from '../../errors';
import { TransactionRunner, type Transaction } from '../../persistence/transaction-runner';
import { AgentlessService } from '../agentless/agentless.service';
import { formatAgentlessTarget } from '../agentless/agentless-target';
import { AgentsRepository } from '../agents/agents.repository';
import type { AuditEntryInput } from '../audit/audit-entry';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import type { Instance } from './application';
import { ApplicationsRepository } from './applications.repository';
import { InstancesRepository } from './instances.repository';

/** One root instance to bind, and the agent to bind it to. */
export interface AgentBinding {
  readonly path: string;
  readonly agent: string;
}

/** An instance with the agent it runs on and whether that agent is lost. */
export interface InstanceView extends Instance {
  /** The agent of the instance's root: where the instance runs (for an agentless root, the proxy of its last step). */
  readonly runsOn: string | null;
  readonly isAgentLost: boolean;
  /** `user@host:port` when the instance's root is agentless (reached over SSH by a proxy). */
  readonly agentless: string | null;
}

function rootPathOf(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path : path.slice(0, end);
}

/** An application's instances: listing, and binding root instances to agents. */
@Injectable()
export class InstancesService {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly instances: InstancesRepository,
    private readonly agents: AgentsRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly agentless: AgentlessService,
  ) {}

  /**
   * Every instance of the application, parents first, with where it runs.
   * @throws DmError NOT_FOUND when no application has that name.
   */
  async list(applicationName: string): Promise<InstanceView[]> {
    const application = await this.applications.findByName(applicationName);
    if (!application) {
      throw new DmError('NOT_FOUND', `No application named ${applicationName}`, {
        application: applicationName,
      });
    }
    const instances = await this.instances.listByApplication(application.id);
    const agentByRoot = new Map(instances.map((instance) => [instance.path, instance.agentName]));
    const lost = new Set((await this.agents.list()).filter((a) => a.isLost).map((a) => a.name));
    const agentless = new Map(
      (await this.agentless.list(applicationName)).map((view) => [view.path, view]),
    );
    return instances.map((instance) => {
      const viaSsh = agentless.get(rootPathOf(instance.path));
      if (viaSsh !== undefined) {
        const target = formatAgentlessTarget(viaSsh.target);
        return { ...instance, runsOn: viaSsh.servingProxy, isAgentLost: false, agentless: target };
      }
      const runsOn = agentByRoot.get(rootPathOf(instance.path)) ?? null;
      return {
        ...instance,
        runsOn,
        isAgentLost: runsOn !== null && lost.has(runsOn),
        agentless: null,
      };
    });
  }

  /**
   * Binds an undeployed root instance to an agent.
   * @throws DmError NOT_FOUND for an unknown application, instance or agent; CONFLICT when the
   * instance is not a root or is deployed.
   */
  async bindAgent(
    applicationName: string,
    path: string,
    agentName: string,
    operator: Operator,
  ): Promise<void> {
    await this.bindAgents(applicationName, [{ path, agent: agentName }], operator);
  }

  /**
   * Binds undeployed root instances to agents, all in one transaction (all or none), audited one
   * entry per instance.
   * @throws DmError NOT_FOUND for an unknown application, instance or agent; CONFLICT when an
   * instance is not a root or is deployed.
   */
  async bindAgents(
    applicationName: string,
    bindings: readonly AgentBinding[],
    operator: Operator,
  ): Promise<void> {
    // Locked in path order, so that two calls binding overlapping instances cannot deadlock.
    const ordered = [...bindings].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    await this.transactions.run(async (tx) => {
      const application = await this.applications.findByName(applicationName, tx);
      const audits: AuditEntryInput[] = [];
      for (const { path, agent } of ordered) {
        const previous = await this.bindOne(applicationName, application?.id, path, agent, tx);
        audits.push({
          actor: operatorActor(operator),
          action: 'instance.bind-agent',
          target: `instance:${applicationName}${path}`,
          details: { agent, previous },
        });
      }
      await this.audit.recordAll(audits, tx);
    });
  }

  /** Binds one instance inside the caller's transaction; returns the agent it had. */
  private async bindOne(
    applicationName: string,
    applicationId: string | undefined,
    path: string,
    agentName: string,
    tx: Transaction,
  ): Promise<string | null> {
    const instance = applicationId
      ? await this.instances.lockByPath(applicationId, path, tx)
      : null;
    if (!instance) {
      throw new DmError('NOT_FOUND', `No instance ${path} in application ${applicationName}`, {
        application: applicationName,
        instance: path,
      });
    }
    if (instance.parentPath !== null || instance.actualState !== 'not_deployed') {
      throw new DmError(
        'CONFLICT',
        `Instance ${path} of ${applicationName} cannot be bound: only undeployed root instances can (it is ${instance.parentPath !== null ? 'a child' : instance.actualState})`,
        { application: applicationName, instance: path },
      );
    }
    if (!(await this.agents.lockByName(agentName, tx))) {
      throw new DmError('NOT_FOUND', `No agent named ${agentName}`, { agent: agentName });
    }
    await this.instances.setAgent(instance.id, agentName, tx);
    return instance.agentName;
  }
}
