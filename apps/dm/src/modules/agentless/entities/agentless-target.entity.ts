import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { InstanceEntity } from '../../applications/entities/instance.entity';

/**
 * A root instance declared agentless: the SSH target a proxy agent reaches it at, its pinned host
 * key, the credential (a key the proxy holds, or a password sealed to the DM's own key) and the
 * proxies allowed to serve it, in order (empty: any accepted agent offering the proxy role).
 */
@Entity({ name: 'agentless_targets' })
export class AgentlessTargetEntity {
  @PrimaryColumn({
    name: 'instance_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_agentless_targets',
  })
  instanceId!: string;

  @OneToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id', foreignKeyConstraintName: 'FK_agentless_targets_instance' })
  instance?: InstanceEntity;

  @Column({ type: 'varchar', length: 253 })
  host!: string;

  @Column({ type: 'integer' })
  port!: number;

  @Column({ name: 'user_name', type: 'varchar', length: 32 })
  userName!: string;

  @Column({ name: 'host_key_fingerprint', type: 'varchar', length: 64 })
  hostKeyFingerprint!: string;

  /** The proxy's key file to log in with; null: its first key (unless a password is set). */
  @Column({ name: 'key_name', type: 'varchar', length: 128, nullable: true })
  keyName!: string | null;

  /** The operator's password encrypted to the DM's own X25519 key; never stored in clear. */
  @Column({ name: 'sealed_password', type: 'jsonb', nullable: true })
  sealedPassword!: { ciphertext: string; ephemeralPublicKey: string } | null;

  @Column({ name: 'use_sudo', type: 'boolean', default: false })
  useSudo!: boolean;

  @Column({ name: 'firewall_backend', type: 'varchar', length: 8, default: 'nft' })
  firewallBackend!: 'nft' | 'none';

  @Column({ name: 'firewall_managed', type: 'boolean', default: false })
  firewallManaged!: boolean;

  /** Names of the agents allowed to serve it, first choice first; empty: any proxy. */
  @Column({ type: 'jsonb', default: [] })
  proxies!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
