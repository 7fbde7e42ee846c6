import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OperatorEntity } from './entities/operator.entity';

/** An operator row as the auth service needs it. */
export interface OperatorRecord {
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string;
}

/** Reads and creates operators. */
@Injectable()
export class OperatorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The operator with that username, if any. */
  async findByUsername(username: string): Promise<OperatorRecord | null> {
    return this.dataSource.getRepository(OperatorEntity).findOneBy({ username });
  }

  /** Creates the operator unless one with that username exists; true when it was created. */
  async createIfAbsent(username: string, passwordHash: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(OperatorEntity)
      .values({ username, passwordHash })
      .orIgnore()
      .execute();
    // Postgres returns the inserted row's id, and no row when ON CONFLICT DO NOTHING skipped it.
    return (result.raw as unknown[]).length > 0;
  }

  /** Replaces the operator's password hash. */
  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.dataSource.getRepository(OperatorEntity).update({ id }, { passwordHash });
  }
}
