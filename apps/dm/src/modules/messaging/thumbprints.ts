/** The prefix the DM's tables and API write certificate thumbprints with. */
const SHA256_PREFIX = 'sha256:';

/** The DM's stored form of a thumbprint (`sha256:<hex>`) from the envelope form (`<hex>`). */
export function toStoredThumbprint(hex: string): string {
  return `${SHA256_PREFIX}${hex}`;
}

/** The envelope form of a thumbprint (`<hex>`) from the DM's stored form (`sha256:<hex>`). */
export function toEnvelopeThumbprint(stored: string): string {
  return stored.startsWith(SHA256_PREFIX) ? stored.slice(SHA256_PREFIX.length) : stored;
}
