import { Module } from '@nestjs/common';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AgentsModule } from '../agents/agents.module';
import { AgentlessModule } from '../agentless/agentless.module';
import { AuditModule } from '../audit/audit.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { TemplatesModule } from '../templates/templates.module';
import { ApplicationBindingsService } from './application-bindings.service';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { InstancesRepository } from './instances.repository';
import { InstanceTreeService } from './instance-tree.service';
import { InstancesService } from './instances.service';

/** Applications and their instances. */
@Module({
  imports: [AuditModule, AgentsModule, TemplatesModule, DeploymentsModule, AgentlessModule],
  controllers: [ApplicationsController],
  providers: [
    ApplicationsRepository,
    InstancesRepository,
    ApplicationsService,
    InstancesService,
    InstanceTreeService,
    ApplicationBindingsService,
    TransactionRunner,
  ],
  exports: [ApplicationsService, InstancesService, InstancesRepository],
})
export class ApplicationsModule {}
