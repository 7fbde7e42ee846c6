import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
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
    const token = await this.dataSource.getRepository(AuthTokenEntity).findOne({
      where: [
        { tokenHash, expiresAt: IsNull() },
        { tokenHash, expiresAt: MoreThan(now) },
      ],
      relations: { operator: true },
    });
    return token?.operator ? { id: token.operator.id, username: token.operator.username } : null;
  }

  /** Deletes the token with that hash; true when one existed. */
  async delete(tokenHash: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(AuthTokenEntity).delete({ tokenHash });
    return (result.affected ?? 0) > 0;
  }
}
