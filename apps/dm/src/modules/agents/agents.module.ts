import { Module } from '@nestjs/common';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditModule } from '../audit/audit.module';
import { DmMessagingModule } from '../messaging/dm-messaging.module';
import { AgentLivenessService } from './agent-liveness.service';
import { AgentPreregistrationService } from './agent-preregistration.service';
import { AgentPreregistrationsController } from './agent-preregistrations.controller';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

/** Agents: enrollment, trust decisions, pre-registrations at install, heartbeats. */
@Module({
  imports: [AuditModule, DmMessagingModule],
  controllers: [AgentsController, AgentPreregistrationsController],
  providers: [
    AgentsRepository,
    AgentsService,
    AgentLivenessService,
    AgentPreregistrationService,
    TransactionRunner,
  ],
  exports: [AgentsService, AgentLivenessService, AgentsRepository],
})
export class AgentsModule {}
