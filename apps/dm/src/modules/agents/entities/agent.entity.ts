import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The trust states of an agent, in the order an operator meets them. */
export const AGENT_STATES = ['pending', 'trusted', 'revoked', 'rejected'] as const;
/** A trust state of an agent. */
export type AgentState = (typeof AGENT_STATES)[number];

/** A host that asked to enroll: its identity, trust state and liveness. */
@Entity({ name: 'agents' })
export class AgentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 128, unique: true })
  name!: string;

  /** `sha256:<hex>` of the agent certificate it enrolled with. */
  @Column({ type: 'varchar', length: 71 })
  thumbprint!: string;

  /** The thumbprint announced for the next key rollover, trusted alongside the current one. */
  @Column({ name: 'next_thumbprint', type: 'varchar', length: 71, nullable: true })
  nextThumbprint!: string | null;

  @Column({ type: 'enum', enum: AGENT_STATES, enumName: 'agent_state', default: 'pending' })
  state!: AgentState;

  @Column({ name: 'host_facts', type: 'jsonb', default: {} })
  hostFacts!: Record<string, unknown>;

  @Column({ name: 'broker_user', type: 'varchar', length: 128, nullable: true })
  brokerUser!: string | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  @Column({ name: 'is_lost', type: 'boolean', default: false })
  isLost!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
