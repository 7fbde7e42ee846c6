import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters (OWASP's minimum for scrypt: N=2^17 is stronger but slows every test). */
const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const SCHEME = 'scrypt';

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes and checks operator passwords with scrypt; the encoding carries its own parameters. */
export class PasswordHasher {
  /** Returns `scrypt$N$r$p$<salt>$<key>` (base64url parts). */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, SCRYPT_COST);
    const { N, r, p } = SCRYPT_COST;
    return [SCHEME, N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** True when the password matches the encoded hash; false for any malformed hash. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const [scheme, n, r, p, salt, key] = encoded.split('$');
    if (scheme !== SCHEME || salt === undefined || key === undefined) {
      return false;
    }
    const expected = Buffer.from(key, 'base64url');
    const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT_COST.maxmem };
    const actual = await derive(password, Buffer.from(salt, 'base64url'), options);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
