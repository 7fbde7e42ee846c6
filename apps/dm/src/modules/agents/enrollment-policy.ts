import type { DmConfig } from '../../config/dm-config';
import { hashSecret } from '../auth/token-secret';

/** What the policy says about a new agent before any operator looks at it. */
export type PolicyVerdict =
  | { readonly kind: 'allowlisted' }
  | { readonly kind: 'token'; readonly tokenHash: string }
  | { readonly kind: 'unknown-token' }
  | { readonly kind: 'none' };

/**
 * The pre-acceptance policy: thumbprints on the allowlist, and one-time tokens set up at install
 * (kept only as hashes once the configuration is read). Spending a token is the repository's job.
 */
export class EnrollmentPolicy {
  private readonly allowlist: ReadonlySet<string>;
  private readonly tokenHashes: ReadonlySet<string>;

  constructor(enrollment: DmConfig['enrollment']) {
    this.allowlist = new Set(enrollment.allowlistedThumbprints);
    this.tokenHashes = new Set(enrollment.oneTimeTokens.map(hashSecret));
  }

  /** Judges a new agent by its thumbprint and the token it presents, if any. */
  judge(thumbprint: string, token: string | undefined): PolicyVerdict {
    if (this.allowlist.has(thumbprint)) {
      return { kind: 'allowlisted' };
    }
    if (token === undefined) {
      return { kind: 'none' };
    }
    const tokenHash = hashSecret(token);
    return this.tokenHashes.has(tokenHash)
      ? { kind: 'token', tokenHash }
      : { kind: 'unknown-token' };
  }
}
