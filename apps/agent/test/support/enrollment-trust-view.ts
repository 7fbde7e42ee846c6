import type { TrustRecord, TrustState, TrustStore } from '@flotilla/messaging';

/**
 * The DM's trust store as its enrollment queue reads it: enrolling agents publish with the shared
 * enrollment user, so the broker user on record is not checked there (as the DM does, 0080).
 */
export class EnrollmentTrustView implements TrustStore {
  constructor(private readonly store: TrustStore) {}

  async get(thumbprint: string): Promise<TrustRecord | undefined> {
    const record = await this.store.get(thumbprint);
    if (record === undefined) {
      return undefined;
    }
    const { brokerUser: _ignored, ...rest } = record;
    return rest;
  }

  upsert(record: TrustRecord): Promise<void> {
    return this.store.upsert(record);
  }

  setState(thumbprint: string, state: TrustState): Promise<TrustRecord> {
    return this.store.setState(thumbprint, state);
  }

  list(): Promise<TrustRecord[]> {
    return this.store.list();
  }

  installNext(
    thumbprint: string,
    next: { thumbprint: string; certificatePem: string },
  ): Promise<TrustRecord> {
    return this.store.installNext(thumbprint, next);
  }

  promoteNext(thumbprint: string): Promise<TrustRecord> {
    return this.store.promoteNext(thumbprint);
  }
}
