import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** An uploaded application template: the archive as received and its SHA-256 digest. */
@Entity({ name: 'templates' })
@Unique('uq_templates_name_version', ['name', 'version'])
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  /** The template's version, or the empty string when it declares none. */
  @Column({ type: 'varchar', length: 64, default: '' })
  version!: string;

  @Column({ type: 'bytea' })
  archive!: Buffer;

  @Column({ name: 'archive_format', type: 'varchar', length: 16 })
  archiveFormat!: string;

  @Column({ type: 'char', length: 64 })
  digest!: string;

  /** The loaded template (graph and instance definitions) as the model library returned it. */
  @Column({ type: 'jsonb' })
  model!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
