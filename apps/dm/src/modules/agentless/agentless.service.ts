import { Injectable } from '@nestjs/common';
import { DmError } from '../../errors';
import { TransactionRunner, type Transaction } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import { formatAgentlessTarget, type AgentlessTarget } from './agentless-target';
import { AgentlessSecrets } from './agentless-secrets';
import { AgentlessTargetsRepository } from './agentless-targets.repository';
import type { DeclareAgentlessRequest } from './dto/agentless-target.dto';

interface RootRow {
  id: string;
  application_id: string;
  parent_id: string | null;
  actual_state: string;
  agent_name: string | null;
}

/** An agentless root with the proxy that ran its last step. */
export interface AgentlessView {
  readonly path: string;
  readonly target: AgentlessTarget;
  readonly servingProxy: string | null;
}

/** Declares root instances agentless (reached over SSH by a proxy agent) and lists them. */
@Injectable()
export class AgentlessService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly targets: AgentlessTargetsRepository,
    private readonly secrets: AgentlessSecrets,
    private readonly audit: AuditService,
  ) {}

  /**
   * Declares (or re-declares) an undeployed root instance agentless.
   * @throws DmError NOT_FOUND for an unknown application, instance or proxy agent; CONFLICT when
   * the instance is not an undeployed root or is bound to an agent.
   */
  async declare(
    application: string,
    request: DeclareAgentlessRequest,
    operator: Operator,
  ): Promise<void> {
    await this.transactions.run(async (tx) => {
      const root = await this.lockUndeployedRoot(application, request.path, tx);
      await this.checkAgentsExist(request.proxies, tx);
      const target = this.toTarget(root.id, request);
      await this.targets.save(target, tx);
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: 'instance.declare-agentless',
          target: `instance:${application}${request.path}`,
          details: {
            target: formatAgentlessTarget(target),
            hostKeyFingerprint: target.hostKeyFingerprint,
            credential: target.sealedPassword === null ? 'proxy-key' : 'password',
            proxies: target.proxies,
          },
        },
        tx,
      );
    });
  }

  /**
   * Makes an undeployed root instance no longer agentless.
   * @throws DmError NOT_FOUND or CONFLICT as for `declare`.
   */
  async remove(application: string, path: string, operator: Operator): Promise<void> {
    await this.transactions.run(async (tx) => {
      const root = await this.lockUndeployedRoot(application, path, tx);
      await this.targets.remove(root.id, tx);
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: 'instance.remove-agentless',
          target: `instance:${application}${path}`,
          details: {},
        },
        tx,
      );
    });
  }

  /**
   * The agentless roots of an application with the proxy that ran their last step.
   * @throws DmError NOT_FOUND for an unknown application.
   */
  async list(application: string): Promise<AgentlessView[]> {
    return this.transactions.run(async (tx) => {
      const rows: Array<{ id: string }> = await tx.query(
        `SELECT id FROM applications WHERE name = $1`,
        [application],
      );
      if (rows[0] === undefined) {
        throw new DmError('NOT_FOUND', `No application named ${application}`, { application });
      }
      const targets = await this.targets.listByApplication(rows[0].id, tx);
      const views: AgentlessView[] = [];
      for (const [path, target] of targets) {
        views.push({ path, target, servingProxy: await this.servingProxy(rows[0].id, path, tx) });
      }
      return views.sort((a, b) => a.path.localeCompare(b.path));
    });
  }

  private toTarget(instanceId: string, request: DeclareAgentlessRequest): AgentlessTarget {
    return {
      instanceId,
      host: request.host,
      port: request.port,
      user: request.user,
      hostKeyFingerprint: request.hostKeyFingerprint,
      keyName: request.keyName ?? null,
      sealedPassword:
        request.password === undefined ? null : this.secrets.seal(request.password, instanceId),
      useSudo: request.useSudo,
      firewall: {
        backend: request.firewall === 'none' ? 'none' : 'nft',
        isManaged: request.firewall === 'nft-managed',
      },
      proxies: request.proxies,
    };
  }

  private async servingProxy(
    applicationId: string,
    rootPath: string,
    tx: Transaction,
  ): Promise<string | null> {
    const rows: Array<{ agent_name: string | null }> = await tx.query(
      `SELECT c.agent_name FROM commands c JOIN instances i ON i.id = c.instance_id
       WHERE i.application_id = $1 AND (i.path = $2 OR i.path LIKE $2 || '/%')
         AND c.sent_at IS NOT NULL
       ORDER BY c.sent_at DESC LIMIT 1`,
      [applicationId, rootPath],
    );
    return rows[0]?.agent_name ?? null;
  }

  private async lockUndeployedRoot(
    application: string,
    path: string,
    tx: Transaction,
  ): Promise<RootRow> {
    const rows: RootRow[] = await tx.query(
      `SELECT i.id, i.application_id, i.parent_id, i.actual_state, i.agent_name
       FROM instances i JOIN applications a ON a.id = i.application_id
       WHERE a.name = $1 AND i.path = $2 FOR UPDATE OF i`,
      [application, path],
    );
    const root = rows[0];
    if (root === undefined) {
      throw new DmError('NOT_FOUND', `No instance ${path} in application ${application}`, {
        application,
        instance: path,
      });
    }
    const problem =
      root.parent_id !== null
        ? 'it is not a root instance'
        : root.actual_state !== 'not_deployed'
          ? `it is ${root.actual_state}`
          : root.agent_name !== null
            ? `it is bound to agent ${root.agent_name}`
            : undefined;
    if (problem !== undefined) {
      throw new DmError(
        'CONFLICT',
        `Instance ${path} of ${application} cannot be made agentless: ${problem} (only undeployed root instances bound to no agent can)`,
        { application, instance: path },
      );
    }
    return root;
  }

  private async checkAgentsExist(names: readonly string[], tx: Transaction): Promise<void> {
    if (names.length === 0) {
      return;
    }
    const rows: Array<{ name: string }> = await tx.query(
      `SELECT name FROM agents WHERE name = ANY($1)`,
      [names],
    );
    const missing = names.filter((name) => !rows.some((row) => row.name === name));
    if (missing.length > 0) {
      throw new DmError('NOT_FOUND', `No agent named ${missing.join(', ')} (proxies)`, {
        agent: missing[0],
      });
    }
  }
}
