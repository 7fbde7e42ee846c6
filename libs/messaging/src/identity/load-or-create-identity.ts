import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IDENTITY_LOCK_FILE, PRIVATE_DIRECTORY_MODE } from '../messaging.constants';
import { withFileLock } from '../support/file-lock';
import type { Identity, KeyType } from './identity';
import { IdentityError } from './identity.error';
import { generateIdentity } from './generate-identity';
import { identityFiles, readIdentity, saveIdentity } from './identity-store';

/** Options of {@link loadOrCreateIdentity}. */
export interface LoadOrCreateIdentityOptions {
  /** Directory that keeps the identity files (created 0700 when missing). */
  readonly dataDir: string;
  /** Party name; must equal the stored certificate's CN on reload. */
  readonly name: string;
  /** Key type used when the identity is created (Ed25519 by default); a stored identity keeps its own. */
  readonly keyType?: KeyType;
  /** RSA modulus length used when an RSA identity is created. */
  readonly rsaModulusBits?: 2048 | 3072;
}

/**
 * Loads the identity kept in `dataDir`, or creates and stores one on first start.
 * @throws IdentityError naming the file when stored files are corrupt, incomplete, too open,
 * mismatched, or belong to another name.
 */
export async function loadOrCreateIdentity(
  options: LoadOrCreateIdentityOptions,
): Promise<Identity> {
  const existing = await readIdentity(options.dataDir);
  if (existing !== undefined) {
    return checkedName(existing, options);
  }
  await mkdir(options.dataDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  // Two processes (or two calls) starting at once must end up with one identity, not a mix of two.
  return withFileLock(join(options.dataDir, IDENTITY_LOCK_FILE), async () => {
    const stored = await readIdentity(options.dataDir);
    if (stored !== undefined) {
      return checkedName(stored, options);
    }
    const created = await generateIdentity(options);
    await saveIdentity(created, options.dataDir);
    return created;
  });
}

function checkedName(stored: Identity, options: LoadOrCreateIdentityOptions): Identity {
  if (stored.name !== options.name) {
    const file = identityFiles(options.dataDir).certificate;
    throw new IdentityError(
      'IDENTITY_MISMATCH',
      `${file}: certificate belongs to "${stored.name}", expected "${options.name}"`,
      { file },
    );
  }
  return stored;
}
