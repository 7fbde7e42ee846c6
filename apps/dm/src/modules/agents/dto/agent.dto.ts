import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Agent } from '../agent';
import { AGENT_STATES, type AgentState } from '../entities/agent.entity';

/** An agent as the API shows it. */
export class AgentDto {
  @ApiProperty({ example: 'web-1' }) name!: string;
  @ApiProperty({ example: `sha256:${'0'.repeat(64)}` }) thumbprint!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nextThumbprint!: string | null;
  @ApiProperty({ enum: AGENT_STATES }) state!: AgentState;
  @ApiProperty({ type: 'object', additionalProperties: true })
  hostFacts!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) brokerUser!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  lastSeenAt!: string | null;
  @ApiProperty() isLost!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(agent: Agent): AgentDto {
    return Object.assign(new AgentDto(), {
      ...agent,
      hostFacts: { ...agent.hostFacts },
      lastSeenAt: agent.lastSeenAt?.toISOString() ?? null,
      createdAt: agent.createdAt.toISOString(),
    });
  }
}
