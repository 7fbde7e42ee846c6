import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { AuthTokenEntity, type AuthTokenKind } from './entities/auth-token.entity';
import type { Operator } from './operator';

/** What is stored for a new token. */
export interface NewAuthToken {
  readonly operatorId: string;
  readonly kind: AuthTokenKind;
  readonly tokenHash: string;
  readonly label: string | null;
  readonly expiresAt: Date | null;
}

/** An API token as its owner may list it (never its secret, which is not stored). */
export interface ApiTokenRecord {
  readonly id: string;
  readonly label: string;
  readonly createdAt: Date;
}

/** Stores session and API token hashes and resolves them to operators. */
@Injectable()
export class AuthTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a token and returns its id. */
  async create(token: NewAuthToken): Promise<string> {
    const saved = await this.dataSource.getRepository(AuthTokenEntity).save({ ...token });
    return saved.id;
  }

  /** The operator owning an unexpired token with that hash, if any. */
  async findOperator(tokenHash: string, now: Date): Promise<Operator | null> {
    // One statement on every authenticated request: `findOne` with a relation made TypeORM send
    // two (a DISTINCT query for the id, then the join), two round trips before each API call.
    const rows: Array<{ id: string; username: string }> = await this.dataSource.query(
      `SELECT o.id, o.username FROM auth_tokens t JOIN operators o ON o.id = t.operator_id
       WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)`,
      [tokenHash, now],
    );
    const [row] = rows;
    return row === undefined ? null : { id: row.id, username: row.username };
  }

  /** Deletes the token with that hash; true when one existed. */
  async delete(tokenHash: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(AuthTokenEntity).delete({ tokenHash });
    return (result.affected ?? 0) > 0;
  }

  /** The operator's API tokens, newest first. */
  async listApiTokens(operatorId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.dataSource.getRepository(AuthTokenEntity).find({
      where: { operatorId, kind: 'api' },
      order: { createdAt: 'DESC' },
    });
    return rows.map((row) => ({ id: row.id, label: row.label ?? '', createdAt: row.createdAt }));
  }

  /** Deletes one of the operator's API tokens; false when it has no such token. */
  async deleteApiToken(operatorId: string, id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(AuthTokenEntity)
      .delete({ id, operatorId, kind: 'api' });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the operator's sessions (a password change ends them all). */
  async deleteSessions(operatorId: string): Promise<void> {
    await this.dataSource.getRepository(AuthTokenEntity).delete({ operatorId, kind: 'session' });
  }

  /** Deletes sessions that expired before `now`; they can never be used again. */
  async deleteExpired(now: Date): Promise<void> {
    await this.dataSource.getRepository(AuthTokenEntity).delete({ expiresAt: LessThan(now) });
  }
}
