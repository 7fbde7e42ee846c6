import type { TrustRecord, TrustState, TrustStore } from '@flotilla/messaging';

/** A trust store held in memory with the records given: what a simulated agent pins (the DM). */
export class StaticTrustStore implements TrustStore {
  private readonly records = new Map<string, TrustRecord>();

  constructor(records: readonly TrustRecord[]) {
    records.forEach((record) => this.records.set(record.thumbprint, record));
  }

  get(thumbprint: string): Promise<TrustRecord | undefined> {
    return Promise.resolve(this.records.get(thumbprint));
  }

  upsert(record: TrustRecord): Promise<void> {
    this.records.set(record.thumbprint, record);
    return Promise.resolve();
  }

  setState(thumbprint: string, state: TrustState): Promise<TrustRecord> {
    const record = { ...this.require(thumbprint), state };
    this.records.set(thumbprint, record);
    return Promise.resolve(record);
  }

  list(): Promise<TrustRecord[]> {
    return Promise.resolve([...this.records.values()]);
  }

  installNext(): Promise<TrustRecord> {
    return Promise.reject(new Error('a simulated agent does not renew the DM key'));
  }

  promoteNext(): Promise<TrustRecord> {
    return Promise.reject(new Error('a simulated agent does not renew the DM key'));
  }

  private require(thumbprint: string): TrustRecord {
    const record = this.records.get(thumbprint);
    if (record === undefined) {
      throw new Error(`no record for ${thumbprint}`);
    }
    return record;
  }
}
