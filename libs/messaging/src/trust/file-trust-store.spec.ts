import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTrustStore } from './file-trust-store';
import type { TrustRecord } from './trust-record';
import { TrustStoreError } from './trust-store.error';
import { rejectionOf, shareParties, type Parties } from '../testing/messaging-world.spec';

describe(FileTrustStore.name, () => {
  let parties: Parties;
  let dir: string;
  let path: string;
  let sut: FileTrustStore;
  let web1: TrustRecord;

  before(async () => {
    parties = await shareParties();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-trust-'));
    path = join(dir, 'state', 'trust.json');
    sut = new FileTrustStore(path);
    web1 = {
      thumbprint: parties.web1.thumbprint,
      role: 'agent:web1',
      state: 'pending',
      certificatePem: parties.web1.certificatePem,
      brokerUser: 'agent-web1',
      encryptionPublicKey: parties.web1.encryptionPublicKeyText,
    };
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('upsert', () => {
    it('should persist records in a 0600 file that another instance reads', async () => {
      await sut.upsert(web1);

      const reopened = new FileTrustStore(path);

      expect(await reopened.get(parties.web1.thumbprint)).to.deep.equal(web1);
      expect((await stat(path)).mode & 0o777).to.equal(0o600);
      expect(await reopened.list()).to.have.length(1);
    });

    it('should refuse a record whose role is malformed', async () => {
      const bad = { ...web1, role: 'admin' } as unknown as TrustRecord;

      const error = await rejectionOf(sut.upsert(bad), TrustStoreError);

      expect(error.code).to.equal('TRUST_RECORD_INVALID');
      expect(error.context.field).to.equal('role');
      expect(await sut.list()).to.deep.equal([]);
    });
  });

  describe('get', () => {
    it('should return undefined for an unknown thumbprint when no file exists yet', async () => {
      expect(await sut.get('f'.repeat(64))).to.equal(undefined);
    });

    it('should see a revocation written by another instance on the next read', async () => {
      await sut.upsert({ ...web1, state: 'trusted' });
      expect((await sut.get(web1.thumbprint))?.state).to.equal('trusted');

      await new FileTrustStore(path).setState(web1.thumbprint, 'revoked');

      expect((await sut.get(web1.thumbprint))?.state).to.equal('revoked');
    });

    it('should name the file and field when the file is invalid', async () => {
      await sut.upsert(web1);
      const content = JSON.parse(await readFile(path, 'utf8')) as {
        records: Array<Record<string, unknown>>;
      };
      content.records[0].state = 'approved';
      await writeFile(path, JSON.stringify(content));

      const error = await rejectionOf(
        new FileTrustStore(path).get(web1.thumbprint),
        TrustStoreError,
      );

      expect(error.code).to.equal('TRUST_STORE_CORRUPT');
      expect(error.message).to.contain(path).and.contain('records.0.state');
    });
  });

  describe('setState', () => {
    it('should fail with TRUST_RECORD_NOT_FOUND for an unknown thumbprint', async () => {
      const error = await rejectionOf(sut.setState('e'.repeat(64), 'trusted'), TrustStoreError);

      expect(error.code).to.equal('TRUST_RECORD_NOT_FOUND');
    });
  });

  describe('installNext and promoteNext', () => {
    it('should find the record by its next thumbprint, then only by the promoted one', async () => {
      await sut.upsert({ ...web1, state: 'trusted' });

      await sut.installNext(web1.thumbprint, {
        thumbprint: parties.stranger.thumbprint,
        certificatePem: parties.stranger.certificatePem,
      });
      expect((await sut.get(parties.stranger.thumbprint))?.role).to.equal('agent:web1');
      expect((await sut.get(web1.thumbprint))?.nextThumbprint).to.equal(
        parties.stranger.thumbprint,
      );

      const promoted = await sut.promoteNext(web1.thumbprint);

      expect(promoted).to.deep.include({
        thumbprint: parties.stranger.thumbprint,
        certificatePem: parties.stranger.certificatePem,
        state: 'trusted',
        brokerUser: 'agent-web1',
      });
      expect(promoted.nextThumbprint).to.equal(undefined);
      expect(await sut.get(web1.thumbprint)).to.equal(undefined);
      expect(await new FileTrustStore(path).list()).to.have.length(1);
    });

    it('should fail with TRUST_NO_NEXT_THUMBPRINT when nothing is staged', async () => {
      await sut.upsert(web1);

      const error = await rejectionOf(sut.promoteNext(web1.thumbprint), TrustStoreError);

      expect(error.code).to.equal('TRUST_NO_NEXT_THUMBPRINT');
    });
  });

  it('should keep every record when separate instances update concurrently', async () => {
    const records = Array.from({ length: 10 }, (_, index) => ({
      ...web1,
      thumbprint: index.toString(16).padStart(64, '0'),
    }));

    const stores = records.map(() => new FileTrustStore(path));

    await Promise.all(records.map((record, index) => stores[index]?.upsert(record)));

    expect(await new FileTrustStore(path).list()).to.have.length(10);
  });
});
