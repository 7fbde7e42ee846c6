import { z } from 'zod';
import { instancePathSchema, portRuleSchema } from './protocol.schemas';

/** Longest line of a proxy's set-up log carried in a step result. */
const MAX_SETUP_LINE_CHARS = 1024;
/** Most set-up log lines carried in a step result. */
const MAX_SETUP_LINES = 64;

/**
 * How a proxy logs in to an agentless target: with one of the SSH keys it holds (by file name;
 * its first key when none is named), or with a password the operator gave, encrypted to the
 * proxy (libs/messaging payload encryption, bound to DM, proxy and job id).
 */
export const agentlessCredentialSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('proxy-key'),
    keyName: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,128}$/)
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('password'),
    ciphertext: z.base64().max(4096),
    /** The ephemeral X25519 key of the encryption, base64url. */
    ephemeralPublicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  }),
]);

/** An agentless host a proxy agent reaches over SSH for the DM, with its pinned host key. */
export const agentlessTargetSchema = z.strictObject({
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or an IP address'),
  port: z.number().int().min(1).max(65_535),
  user: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, 'must be a user name'),
  hostKeyFingerprint: z
    .string()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be SHA256:<43 base64 characters>'),
  credential: agentlessCredentialSchema,
  /** Privileged commands (the firewall) go through `sudo -n`. */
  useSudo: z.boolean(),
  /** The target's firewall: nftables driven over SSH (managed: drop what the ledger does not open). */
  firewall: z.strictObject({ backend: z.enum(['nft', 'none']), isManaged: z.boolean() }),
  /**
   * The ports each instance of this target holds as the DM recorded them (its last finished step),
   * every instance of the target listed: a proxy that did not run those steps (a hand-over) makes
   * its ledger and the target's firewall match before the step, so that no port is lost or left.
   */
  heldPorts: z
    .array(z.strictObject({ owner: instancePathSchema, rules: z.array(portRuleSchema).max(1024) }))
    .max(10_000)
    .optional(),
});

/**
 * What a proxy did around an agentless step, apart from the recipe's output: its set-up log
 * and, when set-up failed, which phase and why (`connect` means the target was not reached or
 * refused the proxy: the DM may hand the step to another proxy).
 */
export const agentlessSetupSchema = z.strictObject({
  /** The target as `user@host:port`. */
  target: z.string().max(512),
  log: z.array(z.string().max(MAX_SETUP_LINE_CHARS)).max(MAX_SETUP_LINES),
  failure: z
    .strictObject({
      phase: z.enum(['connect', 'upload', 'cleanup']),
      code: z.string().max(64),
      message: z.string().max(2048),
    })
    .optional(),
});

/** The capabilities an agent offers the DM, announced at each start. */
export const agentCapabilitiesSchema = z.strictObject({
  /** Present when the agent serves agentless hosts: the names of the SSH keys it holds. */
  proxy: z
    .strictObject({ keyNames: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/)).max(64) })
    .optional(),
});
