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
  const stored = await readIdentity(options.dataDir);
  if (stored !== undefined) {
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
  const created = await generateIdentity(options);
  await saveIdentity(created, options.dataDir);
  return created;
}
