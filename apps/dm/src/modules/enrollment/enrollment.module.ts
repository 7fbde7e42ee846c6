import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { DmMessagingModule } from '../messaging/dm-messaging.module';
import { AgentBrokerAccessService } from './agent-broker-access.service';
import { AgentCredentialsRepository } from './agent-credentials.repository';
import { AgentLivenessHandler } from './agent-liveness.handler';
import { BrokerUserBatcher } from './broker-user-batcher';
import { EnrollmentRequestHandler } from './enrollment-request.handler';

/** Agents over the broker: enrollment requests and answers, broker users, heartbeats. */
@Module({
  imports: [DmMessagingModule, AgentsModule, AuditModule],
  providers: [
    AgentCredentialsRepository,
    BrokerUserBatcher,
    AgentBrokerAccessService,
    EnrollmentRequestHandler,
    AgentLivenessHandler,
  ],
  exports: [AgentBrokerAccessService],
})
export class EnrollmentModule {}
