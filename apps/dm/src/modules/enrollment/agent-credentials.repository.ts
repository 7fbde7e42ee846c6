import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgentCredentialEntity } from '../messaging/entities/agent-credential.entity';

/** What the broker side stores about an agent's keys and its reply address. */
export interface AgentCredentials {
  readonly agentName: string;
  readonly certificatePem: string;
  readonly encryptionPublicKey: string;
  readonly replyTo: string | null;
}

/** Reads and writes `agent_credentials` and the agents' broker user column. */
@Injectable()
export class AgentCredentialsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores (or refreshes) what an enrollment request presented. */
  async save(credentials: AgentCredentials): Promise<void> {
    await this.dataSource.getRepository(AgentCredentialEntity).upsert(
      {
        agentName: credentials.agentName,
        certificatePem: credentials.certificatePem,
        encryptionPublicKey: credentials.encryptionPublicKey,
        replyTo: credentials.replyTo,
      },
      ['agentName'],
    );
  }

  /** The stored credentials of an agent, if it ever enrolled through the broker. */
  async find(agentName: string): Promise<AgentCredentials | null> {
    return this.dataSource.getRepository(AgentCredentialEntity).findOneBy({ agentName });
  }

  /** Records (or clears) the broker user an agent publishes as. */
  async setBrokerUser(agentName: string, brokerUser: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE agents SET broker_user = $2, updated_at = now() WHERE name = $1`,
      [agentName, brokerUser],
    );
  }
}
