import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message already accepted from a sender; a second one with the same id is a replay. */
@Entity({ name: 'replay_cache' })
export class ReplayEntryEntity {
  @PrimaryColumn({ name: 'sender_thumbprint', type: 'varchar', length: 71 })
  senderThumbprint!: string;

  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 64 })
  messageId!: string;

  /** After this time the envelope's own freshness check refuses the message anyway. */
  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
