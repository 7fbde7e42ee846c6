import { statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_DIRECTORY_MODE } from '../messaging.constants';
import { writePrivateFileAtomic } from '../support/atomic-file';
import { SerialQueue } from '../support/serial-queue';
import { withFileLock } from '../support/file-lock';
import type { TrustRecord, TrustState } from './trust-record';
import { TRUST_FILE_SCHEMA, TRUST_RECORD_SCHEMA } from './trust-record.schema';
import type { TrustStore } from './trust-store';
import { TrustStoreError } from './trust-store.error';

/**
 * Trust store kept in one JSON file (0600, replaced atomically by write-then-rename). Lookups are
 * O(1) in memory; every read first checks the file's identity (inode, mtime, ctime, size) with one
 * synchronous `stat` and reloads it when another process changed it, so a revocation written by any
 * process before a lookup starts applies to that lookup (decision 0120). Writes through this
 * instance update the memory synchronously with the file.
 */
export class FileTrustStore implements TrustStore {
  private records = new Map<string, TrustRecord>();
  private byNextThumbprint = new Map<string, TrustRecord>();
  private loadedSignature: string | undefined;
  private readonly writes = new SerialQueue();

  constructor(private readonly path: string) {}

  /** {@inheritDoc TrustStore.get} */
  async get(thumbprint: string): Promise<TrustRecord | undefined> {
    await this.refresh();
    return this.find(thumbprint);
  }

  /** {@inheritDoc TrustStore.list} */
  async list(): Promise<TrustRecord[]> {
    await this.refresh();
    return [...this.records.values()];
  }

  /** {@inheritDoc TrustStore.upsert} */
  async upsert(record: TrustRecord): Promise<void> {
    const result = TRUST_RECORD_SCHEMA.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      throw new TrustStoreError(
        'TRUST_RECORD_INVALID',
        `trust record ${record.thumbprint}: ${field}: ${issue?.message ?? 'invalid'}`,
        { file: this.path, thumbprint: record.thumbprint, field },
      );
    }
    await this.mutate((records) => {
      records.set(record.thumbprint, result.data);
    });
  }

  /** {@inheritDoc TrustStore.setState} */
  async setState(thumbprint: string, state: TrustState): Promise<TrustRecord> {
    return this.update(thumbprint, (record) => ({ ...record, state }));
  }

  /** {@inheritDoc TrustStore.installNext} */
  async installNext(
    thumbprint: string,
    next: { thumbprint: string; certificatePem: string },
  ): Promise<TrustRecord> {
    return this.update(thumbprint, (record) => ({
      ...record,
      nextThumbprint: next.thumbprint,
      nextCertificatePem: next.certificatePem,
    }));
  }

  /** {@inheritDoc TrustStore.promoteNext} */
  async promoteNext(thumbprint: string): Promise<TrustRecord> {
    return this.update(thumbprint, (record) => {
      if (record.nextThumbprint === undefined || record.nextCertificatePem === undefined) {
        throw new TrustStoreError(
          'TRUST_NO_NEXT_THUMBPRINT',
          `${this.path}: record ${record.thumbprint} has no next thumbprint to promote`,
          { file: this.path, thumbprint: record.thumbprint },
        );
      }
      const { nextThumbprint, nextCertificatePem, ...rest } = record;
      return { ...rest, thumbprint: nextThumbprint, certificatePem: nextCertificatePem };
    });
  }

  private async update(
    thumbprint: string,
    change: (record: TrustRecord) => TrustRecord,
  ): Promise<TrustRecord> {
    let updated: TrustRecord | undefined;
    await this.mutate((records) => {
      const current = this.find(thumbprint);
      if (current === undefined) {
        throw new TrustStoreError(
          'TRUST_RECORD_NOT_FOUND',
          `${this.path}: no trust record for thumbprint ${thumbprint}`,
          { file: this.path, thumbprint },
        );
      }
      updated = change(current);
      records.delete(current.thumbprint);
      records.set(updated.thumbprint, updated);
    });
    return updated as TrustRecord;
  }

  private find(thumbprint: string): TrustRecord | undefined {
    return this.records.get(thumbprint) ?? this.byNextThumbprint.get(thumbprint);
  }

  private install(records: Map<string, TrustRecord>): void {
    this.records = records;
    this.byNextThumbprint = new Map(
      [...records.values()].flatMap((record) =>
        record.nextThumbprint === undefined ? [] : [[record.nextThumbprint, record] as const],
      ),
    );
  }

  private async mutate(change: (records: Map<string, TrustRecord>) => void): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
    // In-process queue first (no busy polling between our own writes), then the cross-process lock.
    await this.writes.run(() => withFileLock(`${this.path}.lock`, () => this.applyChange(change)));
  }

  private async applyChange(change: (records: Map<string, TrustRecord>) => void): Promise<void> {
    await this.refresh();
    const records = new Map(this.records);
    change(records);
    const content = JSON.stringify({ version: 1, records: [...records.values()] }, null, 2);
    await writePrivateFileAtomic(this.path, `${content}\n`);
    this.install(records);
    this.loadedSignature = this.signature();
  }

  private async refresh(): Promise<void> {
    const signature = this.signature();
    if (signature === this.loadedSignature) {
      return;
    }
    this.install(signature === undefined ? new Map<string, TrustRecord>() : await this.load());
    this.loadedSignature = signature;
  }

  // Synchronous on purpose: one stat syscall (~10 µs) instead of a thread-pool round trip (~150 µs
  // on this machine), and no await between the check and the lookup. Every writer renames a new
  // file into place, so the inode alone changes on each write; mtime, ctime and size also catch an
  // editor rewriting the file in place.
  private signature(): string | undefined {
    const facts = statSync(this.path, { throwIfNoEntry: false });
    if (facts === undefined) {
      return undefined;
    }
    return `${facts.ino}:${facts.mtimeMs}:${facts.ctimeMs}:${facts.size}`;
  }

  private async load(): Promise<Map<string, TrustRecord>> {
    const text = await readFile(this.path, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error: unknown) {
      throw new TrustStoreError(
        'TRUST_STORE_CORRUPT',
        `${this.path}: not valid JSON`,
        { file: this.path },
        { cause: error },
      );
    }
    const result = TRUST_FILE_SCHEMA.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      throw new TrustStoreError(
        'TRUST_STORE_CORRUPT',
        `${this.path}: ${field}: ${issue?.message ?? 'invalid'}`,
        { file: this.path, field },
      );
    }
    return new Map(result.data.records.map((record) => [record.thumbprint, record]));
  }
}
