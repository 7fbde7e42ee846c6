import { Module } from '@nestjs/common';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG } from '../../dm.constants';
import { AgentLivenessService } from '../agents/agent-liveness.service';
import { AgentsModule } from '../agents/agents.module';
import { CommandDispatcher } from '../deployments/command-dispatcher';
import { DeploymentsModule } from '../deployments/deployments.module';
import { DmBroker } from '../messaging/dm-broker';
import { DmMessagingModule } from '../messaging/dm-messaging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { AdvisoryLockSession } from './advisory-lock-session';
import type { LeaderDuty } from './leader-duty';
import { LeadershipMetricsCollector } from './leadership-metrics.collector';
import { LEADER_DUTIES, LEADERSHIP_LOCK, LEADERSHIP_LOCK_KEY } from './leadership.constants';
import { LeadershipService } from './leadership.service';
import { ReplicaEventsRelay } from './replica-events.relay';

/**
 * DM replicas: which one leads (an advisory lock on PostgreSQL), what only the leader does
 * (dispatching commands, consuming agents' reports and enrollments, heartbeat sweeps, in that
 * start order), and the deployment events shared between replicas.
 */
@Module({
  imports: [DmMessagingModule, DeploymentsModule, AgentsModule, MetricsModule],
  providers: [
    {
      provide: LEADERSHIP_LOCK,
      inject: [DM_CONFIG],
      useFactory: (config: DmConfig): AdvisoryLockSession | null =>
        config.databaseUrl === undefined
          ? null
          : new AdvisoryLockSession({ url: config.databaseUrl, key: LEADERSHIP_LOCK_KEY }),
    },
    {
      provide: LEADER_DUTIES,
      inject: [CommandDispatcher, DmBroker, AgentLivenessService],
      useFactory: (...duties: LeaderDuty[]): readonly LeaderDuty[] => duties,
    },
    LeadershipService,
    LeadershipMetricsCollector,
    ReplicaEventsRelay,
  ],
  exports: [LeadershipService],
})
export class LeadershipModule {}
