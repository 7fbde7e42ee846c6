import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { STEP_KINDS, type StepKind } from '@flotilla/model';
import { InstanceEntity } from '../../applications/entities/instance.entity';

/** The statuses of a reconciler command, from queued to a final result. */
export const COMMAND_STATUSES = ['queued', 'sent', 'succeeded', 'failed', 'cancelled'] as const;
/** A status of a reconciler command. */
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/**
 * One lifecycle step the reconciler asked an agent to run. The unique (instance, step, attempt)
 * and the unique message id make both sending and result handling idempotent.
 */
@Entity({ name: 'commands' })
@Index('IDX_commands_agent_status', ['agentName', 'status'])
@Unique('uq_commands_instance_step_attempt', ['instanceId', 'step', 'attempt'])
export class CommandEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  @Column({ type: 'enum', enum: STEP_KINDS, enumName: 'step_kind' })
  step!: StepKind;

  @Index()
  @Column({ type: 'enum', enum: COMMAND_STATUSES, enumName: 'command_status', default: 'queued' })
  status!: CommandStatus;

  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  @Column({ name: 'message_id', type: 'uuid', unique: true })
  messageId!: string;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  /** The agent the step runs on (the instance's root agent when the command was issued). */
  @Column({ name: 'agent_name', type: 'varchar', length: 128, nullable: true })
  agentName!: string | null;

  /** Why the step was issued and, for an update, the import change (`LifecycleStep` fields). */
  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  /** When the command was last published; null while it waits for its agent. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
