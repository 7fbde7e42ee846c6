import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A one-time enrollment token that has been spent; the primary key makes it spendable once. */
@Entity({ name: 'enrollment_token_uses' })
export class EnrollmentTokenUseEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'agent_name', type: 'varchar', length: 128 })
  agentName!: string;

  @CreateDateColumn({ name: 'used_at', type: 'timestamptz' })
  usedAt!: Date;
}
