/** Version of the envelope format this library writes. */
export const PROTOCOL_VERSION = 1;

/** Lowest envelope version a receiver accepts unless configured otherwise (refuses downgrades). */
export const DEFAULT_MIN_PROTOCOL_VERSION = 1;

/** Largest envelope body, in bytes, a receiver reads by default (1 MiB). */
export const DEFAULT_MAX_ENVELOPE_BYTES = 1024 * 1024;

/** Clock difference tolerated between sender and receiver by default (30 s). */
export const DEFAULT_CLOCK_SKEW_MS = 30_000;

/** Lifetime given to an envelope when the sender does not choose one (60 s). */
export const DEFAULT_ENVELOPE_TTL_MS = 60_000;

/** Most entries a file replay cache keeps before evicting those that expire soonest. */
export const DEFAULT_REPLAY_CACHE_MAX_ENTRIES = 100_000;

/** Permission bits for every secret or trust file this library writes. */
export const PRIVATE_FILE_MODE = 0o600;

/** Permission bits for the data directory that holds an identity. */
export const PRIVATE_DIRECTORY_MODE = 0o700;

/** Validity of a freshly created self-signed identity certificate (one year). */
export const CERTIFICATE_VALIDITY_DAYS = 365;

/** RSA modulus length used when an RSA identity is created without an explicit size. */
export const DEFAULT_RSA_MODULUS_BITS = 2048;

/** File name of an identity's private signing key (PKCS#8 PEM) inside its data directory. */
export const IDENTITY_KEY_FILE = 'identity.key.pem';

/** File name of an identity's self-signed certificate (PEM) inside its data directory. */
export const IDENTITY_CERTIFICATE_FILE = 'identity.cert.pem';

/** File name of an identity's X25519 private encryption key (PKCS#8 PEM) inside its data directory. */
export const ENCRYPTION_KEY_FILE = 'encryption.key.pem';

/** Name of the payload encryption scheme written in the envelope header `enc` field. */
export const PAYLOAD_ENCRYPTION_SCHEME = 'X25519-HKDF-SHA256-A256GCM';

/** Smallest RSA modulus accepted in any certificate, ours or a peer's. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** Number of milliseconds in a day (certificate validity arithmetic). */
export const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** Most parsed certificates an opener keeps in memory. */
export const MAX_CACHED_CERTIFICATES = 1024;

/** Size under which a replay map is never swept for expired entries. */
export const REPLAY_SWEEP_MIN_ENTRIES = 1024;

/** HKDF label of the payload encryption scheme (changing it breaks every peer). */
export const PAYLOAD_ENCRYPTION_LABEL = 'flotilla envelope payload v1';

/** Label signed by the next key in an identity renewal proof (changing it breaks every peer). */
export const IDENTITY_RENEWAL_PROOF_LABEL = 'flotilla identity renewal v1';

/** Longest wait for a lock file (trust store, identity creation) before giving up. */
export const FILE_LOCK_TIMEOUT_MS = 10_000;

/** Age after which a lock file is presumed left by a crashed process and removed. */
export const FILE_LOCK_STALE_MS = 30_000;

/** Pause between two attempts to take a held lock file. */
export const FILE_LOCK_RETRY_MS = 20;

/** Lock file taken while an identity is created in its data directory. */
export const IDENTITY_LOCK_FILE = 'identity.lock';

/** Worker threads of a `WorkerSignatureVerifier` when not configured (the machine has two cores). */
export const DEFAULT_VERIFIER_WORKERS = 2;
