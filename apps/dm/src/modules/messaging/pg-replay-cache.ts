import { Injectable } from '@nestjs/common';
import type { ReplayCache } from '@flotilla/messaging';
import { DataSource } from 'typeorm';
import { toStoredThumbprint } from './thumbprints';

/**
 * The DM's replay cache on PostgreSQL (`replay_cache`): it survives restarts, so a message captured
 * before a DM restart is still refused after it. Expired rows are ignored and swept by `sweep()`.
 */
@Injectable()
export class PgReplayCache implements ReplayCache {
  constructor(private readonly dataSource: DataSource) {}

  async has(senderThumbprint: string, messageId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM replay_cache
       WHERE sender_thumbprint = $1 AND message_id = $2 AND expires_at > now()`,
      [toStoredThumbprint(senderThumbprint), messageId],
    );
    return rows.length > 0;
  }

  async remember(senderThumbprint: string, messageId: string, expiresAt: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO replay_cache (sender_thumbprint, message_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (sender_thumbprint, message_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
      [toStoredThumbprint(senderThumbprint), messageId, new Date(expiresAt)],
    );
  }

  /** Deletes the rows whose messages could no longer be accepted anyway; returns how many. */
  async sweep(): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM replay_cache WHERE expires_at <= now()`,
    );
    return result[1];
  }
}
