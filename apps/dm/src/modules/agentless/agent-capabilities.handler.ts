import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { OpenedEnvelope } from '@flotilla/messaging';
import { AGENT_CAPABILITIES_V1, type CapabilitiesPayload } from '@flotilla/protocol';
import { DataSource } from 'typeorm';
import { DmBroker } from '../messaging/dm-broker';

/**
 * Handles `agent.capabilities.v1`: keeps whether an agent offers the proxy role (and its key
 * names) among its host facts, where the agentless router looks for proxies.
 */
@Injectable()
export class AgentCapabilitiesHandler implements OnModuleInit {
  private readonly logger = new Logger(AgentCapabilitiesHandler.name);

  constructor(
    private readonly broker: DmBroker,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.broker.handleInbox(AGENT_CAPABILITIES_V1.type, (envelope) =>
      this.onCapabilities(envelope),
    );
  }

  private async onCapabilities(envelope: OpenedEnvelope): Promise<void> {
    const { proxy } = (envelope as OpenedEnvelope<CapabilitiesPayload>).payload;
    const facts = {
      proxy: proxy === undefined ? 'false' : 'true',
      proxyKeys: proxy?.keyNames ?? [],
    };
    await this.dataSource.query(
      `UPDATE agents SET host_facts = host_facts || $2::jsonb, updated_at = now() WHERE name = $1`,
      [envelope.sender.name, JSON.stringify(facts)],
    );
    this.logger.log({ agent: envelope.sender.name, ...facts }, 'Agent capabilities recorded');
  }
}
