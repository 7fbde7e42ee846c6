import { EventEmitter } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import type { DmConfig } from '../../config/dm-config';
import { THUMBPRINT_PATTERN } from '../../config/dm-config.constants';
import { DM_CONFIG, SYSTEM_ACTOR } from '../../dm.constants';
import { DmError } from '../../errors';
import { TransactionRunner, type Transaction } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import type { Agent, EnrollmentDecision, EnrollmentRequest } from './agent';
import { nextAgentState, type AgentAction } from './agent-transitions';
import { AgentsRepository } from './agents.repository';
import { EnrollmentPolicy, type PolicyVerdict } from './enrollment-policy';

/** Agent names are host-like: they become queue names and broker user names. */
const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
/** One retry settles a race between two first enrollments of the same name. */
const ENROLLMENT_ATTEMPTS = 2;

class EnrollmentRaceError extends Error {}

/** Agents' trust: operator decisions, enrollment requests, heartbeats and loss. */
@Injectable()
export class AgentsService {
  /** Emits `decided` (agent, action) after an operator's decision was committed. */
  readonly decisions = new EventEmitter<{ decided: [Agent, AgentAction] }>();
  private readonly policy: EnrollmentPolicy;

  constructor(
    @Inject(DM_CONFIG) config: DmConfig,
    private readonly agents: AgentsRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {
    this.policy = new EnrollmentPolicy(config.enrollment);
  }

  /** Every agent, by name. */
  async list(): Promise<Agent[]> {
    return this.agents.list();
  }

  /** @throws DmError NOT_FOUND when no agent has that name. */
  async get(name: string): Promise<Agent> {
    const agent = await this.agents.findByName(name);
    if (!agent) {
      throw new DmError('NOT_FOUND', `No agent named ${name}`, { agent: name });
    }
    return agent;
  }

  /**
   * Applies an operator's decision (accept, reject, revoke) and audits it.
   * @throws DmError NOT_FOUND for an unknown agent, ILLEGAL_TRANSITION when its state forbids it.
   */
  async decide(name: string, action: AgentAction, operator: Operator): Promise<Agent> {
    const decided = await this.transactions.run(async (tx) => {
      const agent = await this.agents.lockByName(name, tx);
      if (!agent) {
        throw new DmError('NOT_FOUND', `No agent named ${name}`, { agent: name });
      }
      const updated = await this.agents.setState(
        name,
        nextAgentState(name, agent.state, action),
        tx,
      );
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: `agent.${action}`,
          target: `agent:${name}`,
          details: { from: agent.state, to: updated.state, thumbprint: agent.thumbprint },
        },
        tx,
      );
      return updated;
    });
    this.decisions.emit('decided', decided, action);
    return decided;
  }

  /**
   * Records an enrollment request that the broker side has verified (signature by `thumbprint`).
   * Idempotent: the same name and thumbprint give the same record. Another thumbprint for a known
   * name is denied and audited. New agents are pending unless the policy pre-accepts them.
   * @throws DmError REQUEST_INVALID for a malformed name or thumbprint.
   */
  async recordEnrollment(request: EnrollmentRequest): Promise<EnrollmentDecision> {
    if (!AGENT_NAME_PATTERN.test(request.name) || !THUMBPRINT_PATTERN.test(request.thumbprint)) {
      throw new DmError(
        'REQUEST_INVALID',
        `Enrollment of "${request.name}" refused: the name must match ${AGENT_NAME_PATTERN.source} and the thumbprint sha256:<64 lowercase hex>`,
        { agent: request.name, thumbprint: request.thumbprint },
      );
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactions.run((tx) => this.enroll(request, tx));
      } catch (error: unknown) {
        if (!(error instanceof EnrollmentRaceError) || attempt >= ENROLLMENT_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  private async enroll(request: EnrollmentRequest, tx: Transaction): Promise<EnrollmentDecision> {
    const known = await this.agents.lockByName(request.name, tx);
    if (known && known.thumbprint === request.thumbprint) {
      return {
        outcome: 'known',
        agent: await this.agents.touch(known.name, { ...request.hostFacts }, tx),
      };
    }
    if (known) {
      await this.audit.record(
        {
          actor: `agent:${request.name}`,
          action: 'agent.enroll.denied',
          target: `agent:${request.name}`,
          details: {
            reason: 'thumbprint mismatch',
            presented: request.thumbprint,
            known: known.thumbprint,
            state: known.state,
          },
        },
        tx,
      );
      return { outcome: 'denied', agent: known };
    }
    return this.enrollNew(request, tx);
  }

  private async enrollNew(
    request: EnrollmentRequest,
    tx: Transaction,
  ): Promise<EnrollmentDecision> {
    const verdict = this.policy.judge(request.thumbprint, request.enrollmentToken);
    const isTokenSpent =
      verdict.kind === 'token' &&
      (await this.agents.spendToken(verdict.tokenHash, request.name, tx));
    const policy = describePolicy(verdict, isTokenSpent);
    const isAutoAccepted = policy.acceptedBy !== undefined;
    const agent = await this.agents.insertIfAbsent(
      request,
      isAutoAccepted ? 'trusted' : 'pending',
      tx,
    );
    if (!agent) {
      throw new EnrollmentRaceError(); // rolls back the token spending with the transaction
    }
    await this.audit.record(
      {
        actor: isAutoAccepted ? SYSTEM_ACTOR : `agent:${request.name}`,
        action: isAutoAccepted ? 'agent.enroll.auto-accepted' : 'agent.enroll',
        target: `agent:${request.name}`,
        details: { thumbprint: request.thumbprint, ...policy },
      },
      tx,
    );
    return { outcome: isAutoAccepted ? 'auto-accepted' : 'pending', agent };
  }
}

/** The audit details of a policy verdict: what accepted the agent, or why a token did not. */
function describePolicy(
  verdict: PolicyVerdict,
  isTokenSpent: boolean,
): { acceptedBy?: 'allowlist' | 'one-time-token'; refusedToken?: 'unknown' | 'already spent' } {
  switch (verdict.kind) {
    case 'allowlisted':
      return { acceptedBy: 'allowlist' };
    case 'token':
      return isTokenSpent ? { acceptedBy: 'one-time-token' } : { refusedToken: 'already spent' };
    case 'unknown-token':
      return { refusedToken: 'unknown' };
    case 'none':
      return {};
  }
}
