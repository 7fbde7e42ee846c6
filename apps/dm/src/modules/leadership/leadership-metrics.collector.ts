import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { LeadershipService } from './leadership.service';

/** Adds this replica's role and its elections to the DM's Prometheus registry. */
@Injectable()
export class LeadershipMetricsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly leadership: LeadershipService,
  ) {}

  onModuleInit(): void {
    const leadership = this.leadership;
    new Gauge({
      name: 'flotilla_dm_leader',
      help: 'Whether this DM replica leads (1: reconciles, dispatches, consumes) or follows (0)',
      registers: [this.metrics.registry],
      collect() {
        this.set(leadership.role === 'leader' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'flotilla_dm_leader_elections',
      help: 'How many times this DM replica was elected leader since it started',
      registers: [this.metrics.registry],
      collect() {
        this.set(leadership.electionCount);
      },
    });
  }
}
