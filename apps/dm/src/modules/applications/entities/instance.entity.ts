import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import {
  INSTANCE_STATES,
  REQUESTABLE_STATES,
  type InstanceState,
  type RequestableState,
} from '@flotilla/model';
import { ApplicationEntity } from './application.entity';

/** One instance of an application, placed in the instance tree by its path. */
@Entity({ name: 'instances' })
@Unique('uq_instances_application_path', ['applicationId', 'path'])
export class InstanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @ManyToOne(() => ApplicationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: ApplicationEntity;

  @Column({ type: 'varchar', length: 512 })
  path!: string;

  @Column({ type: 'varchar', length: 128 })
  component!: string;

  @Index()
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: InstanceEntity | null;

  @Column({
    name: 'desired_state',
    type: 'enum',
    enum: REQUESTABLE_STATES,
    enumName: 'desired_state',
    default: 'not_deployed',
  })
  desiredState!: RequestableState;

  @Column({
    name: 'actual_state',
    type: 'enum',
    enum: INSTANCE_STATES,
    enumName: 'actual_state',
    default: 'not_deployed',
  })
  actualState!: InstanceState;

  @Column({ type: 'jsonb', default: {} })
  exports!: Record<string, string>;

  /** The agent a root instance is bound to; children run on their root's agent. */
  @Column({ name: 'agent_name', type: 'varchar', length: 128, nullable: true })
  agentName!: string | null;

  @Column({ name: 'last_failure', type: 'jsonb', nullable: true })
  lastFailure!: Record<string, unknown> | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
