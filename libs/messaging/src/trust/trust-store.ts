import type { TrustRecord, TrustState } from './trust-record';

/** Persistent map from certificate thumbprints to trust records; implementations never serve stale state. */
export interface TrustStore {
  /** Returns the record whose current or next thumbprint equals `thumbprint`, if any. */
  get(thumbprint: string): Promise<TrustRecord | undefined>;
  /** Inserts or replaces the record with the same current thumbprint. */
  upsert(record: TrustRecord): Promise<void>;
  /**
   * Changes the state of the record with this current or next thumbprint.
   * @throws TrustStoreError TRUST_RECORD_NOT_FOUND when no record matches.
   */
  setState(thumbprint: string, state: TrustState): Promise<TrustRecord>;
  /** Returns every record. */
  list(): Promise<TrustRecord[]>;
  /**
   * Stages a renewed certificate as the next thumbprint of the record with `thumbprint`.
   * @throws TrustStoreError TRUST_RECORD_NOT_FOUND when no record matches.
   */
  installNext(
    thumbprint: string,
    next: { thumbprint: string; certificatePem: string },
  ): Promise<TrustRecord>;
  /**
   * Makes the next thumbprint current and forgets the old one (which then no longer verifies).
   * @throws TrustStoreError TRUST_RECORD_NOT_FOUND or TRUST_NO_NEXT_THUMBPRINT.
   */
  promoteNext(thumbprint: string): Promise<TrustRecord>;
}
