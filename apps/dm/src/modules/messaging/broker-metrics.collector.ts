import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { DmBroker } from './dm-broker';

/**
 * Adds the broker side to the DM's Prometheus registry: envelopes refused (dead-lettered) by
 * queue and reason, and reconciler commands by status, both read when Prometheus scrapes.
 */
@Injectable()
export class BrokerMetricsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly broker: DmBroker,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const broker = this.broker;
    const dataSource = this.dataSource;
    new Gauge({
      name: 'flotilla_dm_envelopes_refused',
      help: 'Envelopes the DM refused and dead-lettered since it started, by queue and reason',
      labelNames: ['queue', 'reason'],
      registers: [this.metrics.registry],
      collect() {
        this.reset();
        for (const [queue, counts] of Object.entries(broker.rejections())) {
          for (const [reason, count] of Object.entries(counts)) {
            this.set({ queue, reason }, count);
          }
        }
      },
    });
    new Gauge({
      name: 'flotilla_dm_commands',
      help: 'Reconciler commands (step jobs) by status',
      labelNames: ['status'],
      registers: [this.metrics.registry],
      async collect() {
        const rows: Array<{ status: string; count: number }> = await dataSource.query(
          `SELECT status, count(*)::int AS count FROM commands GROUP BY status`,
        );
        this.reset();
        rows.forEach((row) => this.set({ status: row.status }, row.count));
      },
    });
  }
}
