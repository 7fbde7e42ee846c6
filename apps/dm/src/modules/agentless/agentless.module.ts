import { Module } from '@nestjs/common';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditModule } from '../audit/audit.module';
import { DmMessagingModule } from '../messaging/dm-messaging.module';
import { AgentCapabilitiesHandler } from './agent-capabilities.handler';
import { AgentlessController } from './agentless.controller';
import { AgentlessService } from './agentless.service';
import { AgentlessRouter } from './agentless-router';
import { AgentlessSecrets } from './agentless-secrets';
import { AgentlessTargetsRepository } from './agentless-targets.repository';

/** Agentless root instances: their SSH targets, the proxies' capabilities, step routing. */
@Module({
  imports: [DmMessagingModule, AuditModule],
  controllers: [AgentlessController],
  providers: [
    TransactionRunner,
    AgentlessTargetsRepository,
    AgentlessSecrets,
    AgentlessService,
    AgentlessRouter,
    AgentCapabilitiesHandler,
  ],
  exports: [AgentlessRouter, AgentlessService, AgentlessTargetsRepository],
})
export class AgentlessModule {}
