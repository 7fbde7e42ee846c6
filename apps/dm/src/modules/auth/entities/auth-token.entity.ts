import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OperatorEntity } from './operator.entity';

/** The kinds of credential an operator holds: a login session or a long-lived API token. */
export const AUTH_TOKEN_KINDS = ['session', 'api'] as const;
/** A kind of credential. */
export type AuthTokenKind = (typeof AUTH_TOKEN_KINDS)[number];

/** A session or API token; only the SHA-256 of the secret is stored. */
@Entity({ name: 'auth_tokens' })
export class AuthTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ name: 'operator_id', type: 'uuid' })
  operatorId!: string;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  @Column({ type: 'enum', enum: AUTH_TOKEN_KINDS, enumName: 'auth_token_kind' })
  kind!: AuthTokenKind;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  label!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Null for API tokens that live until revoked. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
