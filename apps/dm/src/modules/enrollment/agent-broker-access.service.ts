import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  AmqpError,
  DM_ENROLLMENT_RESPONSE_V1,
  revokeAgentBrokerUser,
  type Identity,
} from '@flotilla/messaging';
import type { z } from 'zod';
import { SYSTEM_ACTOR } from '../../dm.constants';
import type { Agent } from '../agents/agent';
import type { AgentAction } from '../agents/agent-transitions';
import { AgentsService } from '../agents/agents.service';
import { AuditService } from '../audit/audit.service';
import { DmBroker } from '../messaging/dm-broker';
import { DM_IDENTITY } from '../messaging/messaging.constants';
import { toEnvelopeThumbprint } from '../messaging/thumbprints';
import { AgentCredentialsRepository } from './agent-credentials.repository';
import { BrokerUserBatcher } from './broker-user-batcher';
import {
  AGENT_BROKER_USER_PREFIX,
  BROKER_PASSWORD_BYTES,
  PENDING_RETRY_AFTER_MS,
} from './enrollment.constants';

type EnrollmentResponse = z.input<typeof DM_ENROLLMENT_RESPONSE_V1.schema>;

/** Whom an enrollment answer goes to: the agent's name, its state, and the requesting thumbprint (hex). */
export interface EnrollmentRecipient {
  readonly name: string;
  readonly state: Agent['state'];
  readonly thumbprint: string;
}

/** The recipient of an answer to a recorded agent. */
export function recipientOf(agent: Agent): EnrollmentRecipient {
  return {
    name: agent.name,
    state: agent.state,
    thumbprint: toEnvelopeThumbprint(agent.thumbprint),
  };
}

/**
 * Turns agents' trust into broker access: an accepted agent gets its command queue and its own
 * broker user (fresh password, sent encrypted in `dm.enrollment.response.v1`); a revoked one loses
 * its user and its open connections at once. Answers every enrollment request, again when asked again.
 */
@Injectable()
export class AgentBrokerAccessService implements OnModuleInit {
  private readonly logger = new Logger(AgentBrokerAccessService.name);

  constructor(
    private readonly broker: DmBroker,
    private readonly agents: AgentsService,
    private readonly credentials: AgentCredentialsRepository,
    private readonly brokerUsers: BrokerUserBatcher,
    private readonly audit: AuditService,
    @Inject(DM_IDENTITY) private readonly identity: Identity,
  ) {}

  onModuleInit(): void {
    this.agents.decisions.on('decided', (agent, action) => {
      this.onDecision(agent, action).catch((error: unknown) => {
        this.logger.error(
          { err: error, agent: agent.name, action },
          'Broker side of a decision failed',
        );
      });
    });
  }

  /** Applies the broker side of an operator's decision (accept: answer now; revoke: cut off). */
  async onDecision(agent: Agent, action: AgentAction): Promise<void> {
    if (action === 'revoke') {
      await this.cutOff(agent);
      return;
    }
    const credentials = await this.credentials.find(agent.name);
    if (credentials?.replyTo) {
      await this.answer(recipientOf(agent), credentials.encryptionPublicKey, credentials.replyTo);
    }
  }

  /**
   * Answers an agent at `replyTo` according to its trust state; a trusted agent gets its broker
   * user provisioned (again) with a new password.
   */
  async answer(
    agent: EnrollmentRecipient,
    encryptionPublicKey: string,
    replyTo: string,
    correlationId?: string,
  ): Promise<void> {
    const payload = await this.responseFor(agent);
    try {
      await this.broker.sendWithCertificate(
        { exchange: '', routingKey: replyTo },
        {
          type: DM_ENROLLMENT_RESPONSE_V1.type,
          recipient: agent.thumbprint,
          payload,
          encryptFor: encryptionPublicKey,
          ...(correlationId === undefined ? {} : { correlationId }),
        },
      );
    } catch (error: unknown) {
      if (error instanceof AmqpError && error.code === 'AMQP_UNROUTABLE') {
        // The agent stopped listening for this answer; it asks again and gets a fresh one.
        this.logger.log(
          { agent: agent.name, status: payload.status },
          'Enrollment answer not delivered: the agent will ask again',
        );
        return;
      }
      throw error;
    }
    this.logger.log({ agent: agent.name, status: payload.status }, 'Enrollment answered');
  }

  /** The answer an agent in this state gets (denied enrollments are answered by the handler). */
  private async responseFor(agent: EnrollmentRecipient): Promise<EnrollmentResponse> {
    const dmThumbprints = { current: this.identity.thumbprint };
    switch (agent.state) {
      case 'trusted':
        return { status: 'accepted', dmThumbprints, ...(await this.grant(agent.name)) };
      case 'pending':
        return { status: 'pending', dmThumbprints, retryAfterMs: PENDING_RETRY_AFTER_MS };
      case 'rejected':
      case 'revoked':
        return {
          status: 'rejected',
          reason: `agent ${agent.name} is ${agent.state}`,
          dmThumbprints,
        };
    }
  }

  private async grant(agentName: string): Promise<{ brokerUser: string; brokerPassword: string }> {
    const [, user] = await Promise.all([
      this.broker.declareAgentQueue(agentName),
      this.brokerUsers.provision({
        agentName,
        username: `${AGENT_BROKER_USER_PREFIX}${agentName}`,
        password: randomBytes(BROKER_PASSWORD_BYTES).toString('base64url'),
      }),
    ]);
    await this.credentials.setBrokerUser(agentName, user.username);
    await this.audit.record({
      actor: SYSTEM_ACTOR,
      action: 'agent.broker-user.provisioned',
      target: `agent:${agentName}`,
      details: { brokerUser: user.username, queue: this.broker.topology.agentQueue(agentName) },
    });
    return { brokerUser: user.username, brokerPassword: user.password };
  }

  private async cutOff(agent: Agent): Promise<void> {
    const username = agent.brokerUser ?? `${AGENT_BROKER_USER_PREFIX}${agent.name}`;
    const closed = await revokeAgentBrokerUser(this.broker.management, username);
    await this.audit.record({
      actor: SYSTEM_ACTOR,
      action: 'agent.broker-user.deleted',
      target: `agent:${agent.name}`,
      details: { brokerUser: username, closedConnections: closed },
    });
    this.logger.warn({ agent: agent.name, closedConnections: closed }, 'Revoked agent cut off');
  }
}
