import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One line of the audit log: who did what to which target, and when. */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  /** A sequence, so that entries written in the same millisecond keep their order. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  /** `operator:<username>`, `agent:<name>` or `system`. */
  @Column({ type: 'varchar', length: 160 })
  actor!: string;

  /** A dotted verb such as `auth.login.failed` or `agent.accept`. */
  @Index()
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  target!: string | null;

  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;
}
