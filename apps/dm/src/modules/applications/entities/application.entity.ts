import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { TemplateEntity } from '../../templates/entities/template.entity';

/** An application created from a template, with its bindings to other applications. */
@Entity({ name: 'applications' })
export class ApplicationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 128, unique: true })
  name!: string;

  @Column({ name: 'template_id', type: 'uuid' })
  templateId!: string;

  @ManyToOne(() => TemplateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: TemplateEntity;

  /** External import prefix → names of the applications bound to it (Roboconf bindings). */
  @Column({ type: 'jsonb', default: {} })
  bindings!: Record<string, string[]>;

  /**
   * Changes (from the `application_revisions` sequence, by triggers) whenever what the reconciler
   * loads for this application changes; bigint, so TypeORM reads it as a string.
   */
  @Column({ type: 'bigint', default: '0' })
  revision!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
