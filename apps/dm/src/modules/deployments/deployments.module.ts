import { Module } from '@nestjs/common';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AgentlessModule } from '../agentless/agentless.module';
import { AuditModule } from '../audit/audit.module';
import { DmMessagingModule } from '../messaging/dm-messaging.module';
import { AgentReportsHandler } from './agent-reports.handler';
import { AgentlessDispatch } from './agentless-dispatch';
import { ApplicationStateRepository } from './application-state.repository';
import { BoundExportsRepository } from './bound-exports.repository';
import { CommandDispatcher } from './command-dispatcher';
import { CommandsRepository } from './commands.repository';
import { DeploymentEvents } from './deployment-events';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { IgnoredResultsRecorder } from './ignored-results.recorder';
import { ReconcileAnnouncer } from './reconcile-announcer';
import { ReconcileWriter } from './reconcile-writer';
import { ReconcilerService } from './reconciler.service';
import { RecipeBundleStore } from './recipe-bundle.store';
import { StepResultsApplier } from './step-results.applier';

/** Orchestration: the reconciler, its commands to agents, and the operators' deployment API. */
@Module({
  imports: [DmMessagingModule, AuditModule, AgentlessModule],
  controllers: [DeploymentsController],
  providers: [
    TransactionRunner,
    BoundExportsRepository,
    ApplicationStateRepository,
    CommandsRepository,
    RecipeBundleStore,
    DeploymentEvents,
    AgentlessDispatch,
    CommandDispatcher,
    IgnoredResultsRecorder,
    ReconcileWriter,
    ReconcileAnnouncer,
    StepResultsApplier,
    ReconcilerService,
    DeploymentsService,
    AgentReportsHandler,
  ],
  exports: [DeploymentsService, DeploymentEvents, ReconcilerService, CommandDispatcher],
})
export class DeploymentsModule {}
