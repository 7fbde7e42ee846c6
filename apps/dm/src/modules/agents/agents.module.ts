import { Module } from '@nestjs/common';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditModule } from '../audit/audit.module';
import { AgentLivenessService } from './agent-liveness.service';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

/** Agents: enrollment, trust decisions, heartbeats. */
@Module({
  imports: [AuditModule],
  controllers: [AgentsController],
  providers: [AgentsRepository, AgentsService, AgentLivenessService, TransactionRunner],
  exports: [AgentsService, AgentLivenessService, AgentsRepository],
})
export class AgentsModule {}
