import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An open database transaction, handed to repository methods that must take part in it. */
export type Transaction = EntityManager;

/** Runs a unit of work in one transaction: everything in it commits together or not at all. */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction. On the embedded database the pool has one connection, so `work`
   * must use the transaction it is given for every query: another query would wait forever.
   */
  async run<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
