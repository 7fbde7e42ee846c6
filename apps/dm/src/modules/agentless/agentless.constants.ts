/**
 * Set-up failure codes after which the DM hands a step to another proxy: the proxy could not
 * reach the target, lost it, was refused its credential, or does not hold the named key. A
 * changed host key is not among them: every proxy would (rightly) refuse it the same way.
 */
export const HAND_OVER_FAILURE_CODES: ReadonlySet<string> = new Set([
  'SSH_UNREACHABLE',
  'SSH_CONNECTION_LOST',
  'SSH_AUTH_FAILED',
  'PROXY_CREDENTIAL_MISSING',
]);

/** How long the dispatcher trusts its list of agentless roots before reading it again. */
export const AGENTLESS_ROOTS_TTL_MS = 1_000;

/** The field of a command's details listing the proxies a step was already handed from. */
export const TRIED_PROXIES_FIELD = 'triedProxies';
