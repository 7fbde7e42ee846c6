import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ENCRYPTION_KEY_FILE,
  IDENTITY_CERTIFICATE_FILE,
  IDENTITY_KEY_FILE,
  PRIVATE_DIRECTORY_MODE,
  PRIVATE_FILE_MODE,
} from '../messaging.constants';
import { isFileMissing, writePrivateFileAtomic } from '../support/atomic-file';
import type { Identity } from './identity';
import { IdentityError } from './identity.error';
import { assembleIdentity } from './assemble-identity';

const GROUP_OR_OTHER_BITS = 0o077;

/** Paths of the three files an identity is kept in. */
export function identityFiles(dataDir: string): {
  key: string;
  certificate: string;
  encryption: string;
} {
  return {
    key: join(dataDir, IDENTITY_KEY_FILE),
    certificate: join(dataDir, IDENTITY_CERTIFICATE_FILE),
    encryption: join(dataDir, ENCRYPTION_KEY_FILE),
  };
}

/** Writes an identity to `dataDir` (created 0700) as three 0600 PEM files, each atomically. */
export async function saveIdentity(identity: Identity, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  await chmod(dataDir, PRIVATE_DIRECTORY_MODE);
  const files = identityFiles(dataDir);
  await writePrivateFileAtomic(files.key, exportPrivate(identity.privateKey));
  await writePrivateFileAtomic(files.encryption, exportPrivate(identity.encryptionPrivateKey));
  await writePrivateFileAtomic(files.certificate, identity.certificatePem);
}

/**
 * Reads the identity kept in `dataDir`, or returns undefined when none of its files exist.
 * @throws IdentityError naming the file when a file is missing, unreadable, too open or mismatched.
 */
export async function readIdentity(dataDir: string): Promise<Identity | undefined> {
  const files = identityFiles(dataDir);
  const contents = await Promise.all(Object.values(files).map(readOptional));
  if (contents.every((content) => content === undefined)) {
    return undefined;
  }
  const [key, certificate, encryption] = contents;
  if (key === undefined || certificate === undefined || encryption === undefined) {
    const missing = Object.values(files).filter((_, index) => contents[index] === undefined);
    throw new IdentityError(
      'IDENTITY_INCOMPLETE',
      `${missing.join(', ')}: missing while the other identity files exist`,
      {
        file: missing[0],
      },
    );
  }
  await assertPrivate(files.key);
  await assertPrivate(files.encryption);
  return assembleIdentity({
    privateKey: parsePrivateKey(key, files.key),
    certificatePem: certificate,
    encryptionPrivateKey: parsePrivateKey(encryption, files.encryption),
    sources: files,
  });
}

function exportPrivate(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    if (isFileMissing(error)) {
      return undefined;
    }
    throw new IdentityError(
      'IDENTITY_CORRUPT',
      `${path}: cannot be read`,
      { file: path },
      { cause: error },
    );
  }
}

async function assertPrivate(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & GROUP_OR_OTHER_BITS) !== 0) {
    throw new IdentityError(
      'IDENTITY_INSECURE',
      `${path}: permissions ${(mode & 0o777).toString(8)} are too open, expected ${PRIVATE_FILE_MODE.toString(8)}`,
      { file: path },
    );
  }
}

function parsePrivateKey(pem: string, path: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error: unknown) {
    throw new IdentityError(
      'IDENTITY_CORRUPT',
      `${path}: not a valid PEM private key`,
      { file: path },
      { cause: error },
    );
  }
}
