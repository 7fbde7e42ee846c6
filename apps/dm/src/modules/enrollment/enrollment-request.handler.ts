import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  AGENT_ENROLLMENT_REQUEST_V1,
  DeadLetterError,
  type AmqpDelivery,
  type OpenedEnvelope,
} from '@flotilla/messaging';
import type { z } from 'zod';
import { DmError } from '../../errors';
import { AgentsService } from '../agents/agents.service';
import { DmBroker } from '../messaging/dm-broker';
import { toStoredThumbprint } from '../messaging/thumbprints';
import { AgentBrokerAccessService, recipientOf } from './agent-broker-access.service';
import { AgentCredentialsRepository } from './agent-credentials.repository';

type EnrollmentRequestPayload = z.output<typeof AGENT_ENROLLMENT_REQUEST_V1.schema>;

/**
 * Handles `agent.enrollment.request.v1` from the enrollment queue: records the request (idempotent:
 * the same name and key give the same agent), keeps the agent's certificate and encryption key,
 * and answers at the request's reply-to address (accepted with broker credentials, pending, or
 * rejected). A name already owned by another key is answered `rejected` and nothing is stored.
 */
@Injectable()
export class EnrollmentRequestHandler implements OnModuleInit {
  private readonly logger = new Logger(EnrollmentRequestHandler.name);

  constructor(
    private readonly broker: DmBroker,
    private readonly agents: AgentsService,
    private readonly credentials: AgentCredentialsRepository,
    private readonly access: AgentBrokerAccessService,
  ) {}

  onModuleInit(): void {
    this.broker.handleEnrollment(AGENT_ENROLLMENT_REQUEST_V1.type, (envelope, delivery) =>
      this.handle(envelope as OpenedEnvelope<EnrollmentRequestPayload>, delivery),
    );
  }

  /** Records one verified enrollment request and answers it. */
  async handle(
    envelope: OpenedEnvelope<EnrollmentRequestPayload>,
    delivery: AmqpDelivery,
  ): Promise<void> {
    const { payload, sender, messageId } = envelope;
    if (payload.agentName !== sender.name || sender.certificatePem === undefined) {
      throw new DeadLetterError(
        'ENROLLMENT_NAME_MISMATCH',
        `enrollment ${messageId}: payload.agentName "${payload.agentName}" differs from the signer "${sender.name}"`,
        { messageId, queue: delivery.queue },
      );
    }
    const decision = await this.record(envelope, delivery.queue);
    const replyTo = delivery.properties.replyTo as string | undefined;
    if (decision.outcome !== 'denied') {
      await this.credentials.save({
        agentName: payload.agentName,
        certificatePem: sender.certificatePem,
        encryptionPublicKey: payload.encryptionPublicKey,
        replyTo: replyTo ?? null,
      });
    }
    if (replyTo === undefined) {
      this.logger.warn(
        { agent: payload.agentName, messageId },
        'Enrollment without reply-to: not answered',
      );
      return;
    }
    const recipient =
      decision.outcome === 'denied'
        ? { name: payload.agentName, state: 'rejected' as const, thumbprint: sender.thumbprint }
        : recipientOf(decision.agent);
    await this.access.answer(recipient, payload.encryptionPublicKey, replyTo, messageId);
  }

  private async record(
    envelope: OpenedEnvelope<EnrollmentRequestPayload>,
    queue: string,
  ): ReturnType<AgentsService['recordEnrollment']> {
    const { payload, sender, messageId } = envelope;
    try {
      return await this.agents.recordEnrollment({
        name: payload.agentName,
        thumbprint: toStoredThumbprint(sender.thumbprint),
        hostFacts: payload.facts,
        ...(payload.token === undefined ? {} : { enrollmentToken: payload.token }),
      });
    } catch (error: unknown) {
      if (error instanceof DmError && error.code === 'REQUEST_INVALID') {
        throw new DeadLetterError('ENROLLMENT_INVALID', error.message, {
          messageId,
          queue,
          cause: error,
        });
      }
      throw error;
    }
  }
}
