import { expect } from 'chai';
import { X509Certificate, createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateIdentity } from './load-or-create-identity';
import { IdentityError } from './identity.error';
import { signBytes, verifyBytes } from './signature';
import {
  ENCRYPTION_KEY_FILE,
  IDENTITY_CERTIFICATE_FILE,
  IDENTITY_KEY_FILE,
} from '../messaging.constants';
import type { KeyType } from './identity';
import { rejectionOf } from '../testing/messaging-world.spec';

const identityRejection = (promise: Promise<unknown>) => rejectionOf(promise, IdentityError);

describe('loadOrCreateIdentity', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'flotilla-identity-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const keyType of ['ed25519', 'rsa'] as KeyType[]) {
    describe(`with ${keyType} keys`, () => {
      it('should create the identity with 0600 files in a 0700 directory when none exists', async () => {
        const dataDir = join(root, 'agent');

        const sut = await loadOrCreateIdentity({ dataDir, name: 'web1', keyType });

        expect(sut.keyType).to.equal(keyType);
        expect(sut.name).to.equal('web1');
        expect((await stat(dataDir)).mode & 0o777).to.equal(0o700);
        for (const file of [IDENTITY_KEY_FILE, IDENTITY_CERTIFICATE_FILE, ENCRYPTION_KEY_FILE]) {
          expect((await stat(join(dataDir, file))).mode & 0o777, file).to.equal(0o600);
        }
      });

      it('should give the SHA-256 of the certificate DER as thumbprint', async () => {
        const sut = await loadOrCreateIdentity({ dataDir: root, name: 'web1', keyType });

        const der = new X509Certificate(await readFile(join(root, IDENTITY_CERTIFICATE_FILE))).raw;
        expect(sut.thumbprint).to.match(/^[0-9a-f]{64}$/);
        expect(sut.thumbprint).to.equal(createHash('sha256').update(der).digest('hex'));
        expect(sut.certificateDer.equals(der)).to.equal(true);
      });

      it('should reload the same identity and keys when called again', async () => {
        const first = await loadOrCreateIdentity({ dataDir: root, name: 'web1', keyType });

        const sut = await loadOrCreateIdentity({ dataDir: root, name: 'web1', keyType });

        expect(sut.thumbprint).to.equal(first.thumbprint);
        expect(sut.encryptionPublicKeyText).to.equal(first.encryptionPublicKeyText);
        const data = Buffer.from('proof');
        expect(verifyBytes(data, signBytes(data, sut.privateKey), first.publicKey)).to.equal(true);
      });
    });
  }

  it('should create a single identity when several starts race on an empty directory', async () => {
    const starts = Array.from({ length: 4 }, () =>
      loadOrCreateIdentity({ dataDir: root, name: 'web1' }),
    );

    const thumbprints = new Set((await Promise.all(starts)).map((identity) => identity.thumbprint));

    expect(thumbprints.size).to.equal(1);
    const reloaded = await loadOrCreateIdentity({ dataDir: root, name: 'web1' });
    expect(thumbprints.has(reloaded.thumbprint)).to.equal(true);
  });

  it('should create a 3072-bit RSA identity when asked', async () => {
    const sut = await loadOrCreateIdentity({
      dataDir: root,
      name: 'big',
      keyType: 'rsa',
      rsaModulusBits: 3072,
    });

    expect(sut.publicKey.asymmetricKeyDetails?.modulusLength).to.equal(3072);
  });

  it('should keep the stored key type when reloaded with another requested type', async () => {
    await loadOrCreateIdentity({ dataDir: root, name: 'web1', keyType: 'rsa' });

    const sut = await loadOrCreateIdentity({ dataDir: root, name: 'web1' });

    expect(sut.keyType).to.equal('rsa');
  });

  it('should name the key file when the key does not match the certificate', async () => {
    const other = join(root, 'other');
    await loadOrCreateIdentity({ dataDir: root, name: 'web1' });
    await loadOrCreateIdentity({ dataDir: other, name: 'web1' });
    await writeFile(join(root, IDENTITY_KEY_FILE), await readFile(join(other, IDENTITY_KEY_FILE)));

    const error = await identityRejection(loadOrCreateIdentity({ dataDir: root, name: 'web1' }));

    expect(error.code).to.equal('IDENTITY_MISMATCH');
    expect(error.message).to.contain(join(root, IDENTITY_KEY_FILE));
  });

  it('should name the certificate file when it is corrupted', async () => {
    await loadOrCreateIdentity({ dataDir: root, name: 'web1' });
    await writeFile(
      join(root, IDENTITY_CERTIFICATE_FILE),
      '-----BEGIN CERTIFICATE-----\ngarbage\n',
    );

    const error = await identityRejection(loadOrCreateIdentity({ dataDir: root, name: 'web1' }));

    expect(error.code).to.equal('CERTIFICATE_INVALID');
    expect(error.context.file).to.equal(join(root, IDENTITY_CERTIFICATE_FILE));
  });

  it('should name the key file when it is not a PEM key', async () => {
    await loadOrCreateIdentity({ dataDir: root, name: 'web1' });
    await writeFile(join(root, IDENTITY_KEY_FILE), 'not a key');

    const error = await identityRejection(loadOrCreateIdentity({ dataDir: root, name: 'web1' }));

    expect(error.code).to.equal('IDENTITY_CORRUPT');
    expect(error.message).to.contain(IDENTITY_KEY_FILE);
  });

  it('should name the missing file when only part of the identity exists', async () => {
    await loadOrCreateIdentity({ dataDir: root, name: 'web1' });
    await rm(join(root, ENCRYPTION_KEY_FILE));

    const error = await identityRejection(loadOrCreateIdentity({ dataDir: root, name: 'web1' }));

    expect(error.code).to.equal('IDENTITY_INCOMPLETE');
    expect(error.message).to.contain(ENCRYPTION_KEY_FILE);
  });

  it('should refuse a private key readable by others', async () => {
    await loadOrCreateIdentity({ dataDir: root, name: 'web1' });
    await chmod(join(root, IDENTITY_KEY_FILE), 0o644);

    const error = await identityRejection(loadOrCreateIdentity({ dataDir: root, name: 'web1' }));

    expect(error.code).to.equal('IDENTITY_INSECURE');
    expect(error.message).to.contain('644');
  });

  it('should refuse an identity stored for another name', async () => {
    await loadOrCreateIdentity({ dataDir: root, name: 'web1' });

    const error = await identityRejection(loadOrCreateIdentity({ dataDir: root, name: 'web2' }));

    expect(error.code).to.equal('IDENTITY_MISMATCH');
    expect(error.message).to.contain('"web1"');
  });
});
