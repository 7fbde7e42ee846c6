import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { AgentEntity } from '../../agents/entities/agent.entity';

/**
 * What the broker side keeps about an enrolled agent's keys: the certificate its signatures verify
 * with, the X25519 key secrets are encrypted to, and where it last asked for an answer.
 */
@Entity({ name: 'agent_credentials' })
export class AgentCredentialEntity {
  @PrimaryColumn({
    name: 'agent_name',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'PK_agent_credentials',
  })
  agentName!: string;

  @OneToOne(() => AgentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'agent_name',
    referencedColumnName: 'name',
    foreignKeyConstraintName: 'FK_agent_credentials_agent',
  })
  agent?: AgentEntity;

  @Column({ name: 'certificate_pem', type: 'text' })
  certificatePem!: string;

  /** The renewed certificate during a key rollover (its thumbprint is the agent's next thumbprint). */
  @Column({ name: 'next_certificate_pem', type: 'text', nullable: true })
  nextCertificatePem!: string | null;

  @Column({ name: 'encryption_public_key', type: 'varchar', length: 64 })
  encryptionPublicKey!: string;

  /** The AMQP reply-to address of the agent's last enrollment request (direct reply-to). */
  @Column({ name: 'reply_to', type: 'varchar', length: 255, nullable: true })
  replyTo!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
