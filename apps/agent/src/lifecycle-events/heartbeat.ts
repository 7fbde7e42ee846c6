import { AGENT_HEARTBEAT_V1 } from '@flotilla/messaging';
import type { AgentLogger } from '../support/agent-logger';
import type { DmOutbox } from './dm-outbox';

/** Sends `agent.heartbeat.v1` at a fixed interval while started; a failed beat is logged, not fatal. */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly outbox: DmOutbox,
    private readonly intervalMs: number,
    private readonly logger: AgentLogger,
  ) {}

  /** Sends one beat now, then one every interval. */
  start(): void {
    this.beat();
    this.timer = setInterval(() => this.beat(), this.intervalMs);
  }

  /** Stops beating. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private beat(): void {
    const payload = { sequence: this.sequence++, uptimeMs: Date.now() - this.startedAt };
    this.outbox.send('heartbeat', AGENT_HEARTBEAT_V1.type, payload).catch((error: unknown) => {
      this.logger.warn('heartbeat not sent', { sequence: payload.sequence, error: String(error) });
    });
  }
}
