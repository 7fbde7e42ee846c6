import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { DmConfig } from './config/dm-config';
import { DM_CONFIG } from './dm.constants';
import { HttpErrorsFilter } from './http-errors.filter';
import { pinoHttpOptions } from './logging/pino-http.options';
import { AgentsModule } from './modules/agents/agents.module';
import { ApplicationsModule } from './modules/applications/applications.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ConsoleModule } from './modules/console/console.module';
import { DeploymentsModule } from './modules/deployments/deployments.module';
import { EnrollmentModule } from './modules/enrollment/enrollment.module';
import { HealthModule } from './modules/health/health.module';
import { LeadershipModule } from './modules/leadership/leadership.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { TemplatesModule } from './modules/templates/templates.module';

/** The configuration and the migrated database, shared by every module. */
@Module({})
class CoreModule {
  static register(config: DmConfig, dataSource: DataSource): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: DM_CONFIG, useValue: config },
        { provide: DataSource, useValue: dataSource },
      ],
      exports: [DM_CONFIG, DataSource],
    };
  }
}

/** The root module of the Deployment Manager. */
@Module({})
export class AppModule {
  /** Builds the app over an already loaded configuration and an already migrated database. */
  static forRoot(config: DmConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, dataSource),
        LoggerModule.forRoot(pinoHttpOptions(config.logLevel)),
        MetricsModule,
        HealthModule,
        AuditModule,
        AuthModule,
        AgentsModule,
        EnrollmentModule,
        TemplatesModule,
        ApplicationsModule,
        DeploymentsModule,
        LeadershipModule,
        ConsoleModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorsFilter }],
    };
  }
}
