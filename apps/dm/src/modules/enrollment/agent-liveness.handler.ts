import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AGENT_HEARTBEAT_V1, AGENT_SHUTDOWN_V1, type OpenedEnvelope } from '@flotilla/messaging';
import { DataSource } from 'typeorm';
import { AgentLivenessService } from '../agents/agent-liveness.service';
import { DmBroker } from '../messaging/dm-broker';

/**
 * Handles agents' `agent.heartbeat.v1` (last seen, and back from lost) and `agent.shutdown.v1`
 * (marked lost at once: its instances show as unknown until it reports again).
 */
@Injectable()
export class AgentLivenessHandler implements OnModuleInit {
  private readonly logger = new Logger(AgentLivenessHandler.name);

  constructor(
    private readonly broker: DmBroker,
    private readonly liveness: AgentLivenessService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.broker.handleInbox(AGENT_HEARTBEAT_V1.type, (envelope) => this.onHeartbeat(envelope));
    this.broker.handleInbox(AGENT_SHUTDOWN_V1.type, (envelope) => this.onShutdown(envelope));
  }

  private async onHeartbeat(envelope: OpenedEnvelope): Promise<void> {
    await this.liveness.recordHeartbeat(envelope.sender.name, new Date(envelope.issuedAt));
  }

  private async onShutdown(envelope: OpenedEnvelope): Promise<void> {
    await this.dataSource.query(
      `UPDATE agents SET is_lost = true, updated_at = now() WHERE name = $1`,
      [envelope.sender.name],
    );
    this.logger.log({ agent: envelope.sender.name }, 'Agent announced its shutdown');
  }
}
