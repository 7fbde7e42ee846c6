import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { BrokerMetricsCollector } from './broker-metrics.collector';
import { DmBroker } from './dm-broker';
import { DM_IDENTITY_PROVIDER } from './dm-identity.provider';
import { DM_IDENTITY } from './messaging.constants';
import { PgReplayCache } from './pg-replay-cache';
import { PgTrustStore } from './pg-trust-store';
import { ReplaySweeperService } from './replay-sweeper.service';

/** The DM's identity, trust store, replay cache and broker connection. */
@Module({
  imports: [MetricsModule],
  providers: [
    DM_IDENTITY_PROVIDER,
    PgTrustStore,
    PgReplayCache,
    DmBroker,
    ReplaySweeperService,
    BrokerMetricsCollector,
  ],
  exports: [DM_IDENTITY, PgTrustStore, DmBroker],
})
export class DmMessagingModule {}
