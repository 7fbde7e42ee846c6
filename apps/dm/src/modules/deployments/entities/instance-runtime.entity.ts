import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { INSTANCE_STATES, type InstanceState } from '@flotilla/model';
import { InstanceEntity } from '../../applications/entities/instance.entity';

/** The reconciler's bookkeeping of one instance beyond its state: where to go back if a step fails. */
@Entity({ name: 'instance_runtimes' })
export class InstanceRuntimeEntity {
  @PrimaryColumn({
    name: 'instance_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_instance_runtimes',
  })
  instanceId!: string;

  @OneToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id', foreignKeyConstraintName: 'FK_instance_runtimes_instance' })
  instance?: InstanceEntity;

  @Column({
    name: 'previous_stable_state',
    type: 'enum',
    enum: INSTANCE_STATES,
    enumName: 'actual_state',
    nullable: true,
  })
  previousStableState!: InstanceState | null;
}
