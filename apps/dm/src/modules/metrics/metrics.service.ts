import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const HTTP_LABELS = ['method', 'route', 'status'] as const;

/** The DM's Prometheus registry: process defaults plus HTTP request counters and durations. */
@Injectable()
export class MetricsService {
  /** One registry per DM, so that several DMs in one process (tests) do not collide. */
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'flotilla_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: HTTP_LABELS,
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'flotilla_http_request_duration_seconds',
    help: 'HTTP request durations, by method, route template and status',
    labelNames: HTTP_LABELS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one answered request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.durations.observe(labels, seconds);
  }

  /** The exposition text for `/metrics`. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
