import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG, SYSTEM_ACTOR } from '../../dm.constants';
import { AuditService } from '../audit/audit.service';
import { BatchQueue, type BatchOutcome } from '../deployments/batch-queue';
import { AgentsRepository } from './agents.repository';

const MS_PER_SECOND = 1000;

/** Most heartbeats written in one statement (decision 0187). */
const HEARTBEATS_PER_WRITE = 1_000;

interface Beat {
  readonly name: string;
  readonly at: Date;
}

/**
 * Keeps agents' "last seen" from their heartbeats and marks as lost the trusted agents that
 * missed the configured number of them, checking once per heartbeat interval on the leading DM
 * replica (a leader duty: see LeadershipService).
 */
@Injectable()
export class AgentLivenessService implements OnModuleDestroy {
  private readonly logger = new Logger(AgentLivenessService.name);
  private timer?: NodeJS.Timeout;
  private readonly beats: BatchQueue<Beat, boolean>;

  constructor(
    @Inject(DM_CONFIG) private readonly config: DmConfig,
    private readonly agents: AgentsRepository,
    private readonly audit: AuditService,
  ) {
    this.beats = new BatchQueue((batch) => this.writeBeats(batch), HEARTBEATS_PER_WRITE);
  }

  /** Starts the periodic check (this replica was elected). */
  startLeading(): void {
    clearInterval(this.timer);
    const intervalMs = this.config.heartbeat.intervalSeconds * MS_PER_SECOND;
    this.timer = setInterval(() => {
      this.markLost(new Date()).catch((error: unknown) =>
        this.logger.error({ err: error }, 'Could not check agents for missed heartbeats'),
      );
    }, intervalMs);
    this.timer.unref(); // the check must never keep a closing DM alive
  }

  /** Stops the periodic check (this replica stepped down). */
  stopLeading(): void {
    clearInterval(this.timer);
  }

  onModuleDestroy(): void {
    this.stopLeading();
  }

  /**
   * Records a heartbeat of an agent; false when no agent has that name. Beats arriving while a
   * write runs are written together by the next one (group commit): one statement per burst.
   */
  async recordHeartbeat(name: string, at: Date = new Date()): Promise<boolean> {
    return this.beats.add({ name, at });
  }

  private async writeBeats(batch: readonly Beat[]): Promise<Array<BatchOutcome<boolean>>> {
    const latest = new Map<string, Date>();
    for (const { name, at } of batch) {
      const seen = latest.get(name);
      latest.set(name, seen !== undefined && seen > at ? seen : at);
    }
    const known = await this.agents.recordHeartbeats(latest);
    return batch.map(({ name }) => ({ isOk: true, value: known.has(name) }));
  }

  /** Marks as lost the trusted agents silent for longer than the allowed missed heartbeats. */
  async markLost(now: Date): Promise<string[]> {
    const { intervalSeconds, missedLimit } = this.config.heartbeat;
    const silentSince = new Date(now.getTime() - intervalSeconds * missedLimit * MS_PER_SECOND);
    const lost = await this.agents.markLost(silentSince);
    for (const name of lost) {
      this.logger.warn({ agent: name }, 'Agent missed its heartbeats and is marked lost');
      await this.audit.record({
        actor: SYSTEM_ACTOR,
        action: 'agent.lost',
        target: `agent:${name}`,
        details: { silentSince: silentSince.toISOString() },
      });
    }
    return lost;
  }
}
