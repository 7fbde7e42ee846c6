import { Module } from '@nestjs/common';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AgentsModule } from '../agents/agents.module';
import { ApplicationsModule } from '../applications/applications.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { TemplatesModule } from '../templates/templates.module';
import { TemplatesService } from '../templates/templates.service';
import { ApplicationViewService } from './application-view.service';
import { ConsoleAgentsController } from './console-agents.controller';
import { ConsoleApplicationController } from './console-application.controller';
import { ConsoleApplicationsController } from './console-applications.controller';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleAuditController } from './console-audit.controller';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleLogoutController } from './console-logout.controller';
import { ConsoleSessionGuard } from './console-session.guard';
import { InstanceTreeRenderer } from './instance-tree.renderer';
import { OpenPortsRepository } from './open-ports.repository';

/**
 * The web console: server-rendered pages (htmx, SSE, an ELK-laid-out SVG) over the DM's services,
 * served at `/console` with `/` redirecting to it.
 */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    AgentsModule,
    TemplatesModule,
    ApplicationsModule,
    DeploymentsModule,
  ],
  controllers: [
    ConsoleAuthController,
    ConsoleLogoutController,
    ConsoleAssetsController,
    ConsoleAgentsController,
    ConsoleApplicationsController,
    ConsoleApplicationController,
    ConsoleAuditController,
  ],
  providers: [
    ConsoleSessionGuard,
    ApplicationViewService,
    InstanceTreeRenderer,
    OpenPortsRepository,
    // The templates module keeps its service to itself; it is stateless, so the console has its own.
    TemplatesService,
    TransactionRunner,
  ],
})
export class ConsoleModule {}
