import { decryptPayload, type Identity } from '@flotilla/messaging';
import type { AgentlessTargetPayload } from '@flotilla/protocol';
import type { SshCredential, SshTarget } from '@flotilla/recipes';
import type { ProxyKeys } from './proxy-keys';

/** Why a proxy cannot even try an agentless step: the credential the DM named is not here. */
export class AgentlessCredentialError extends Error {
  override readonly name = 'AgentlessCredentialError';
}

/** What turns the DM's target block into an `SshTarget`: the proxy's keys and identity. */
export interface AgentlessTargetContext {
  readonly keys: ProxyKeys;
  readonly identity: Identity;
  /** The DM's thumbprint (64 hex): the sender a password was encrypted by. */
  readonly dmThumbprint: string;
}

/**
 * The SSH target of an agentless step; a password is decrypted here, bound to the DM, this
 * proxy and the job, and lives only in memory.
 * @throws AgentlessCredentialError when the named key is not held or the password cannot be read.
 */
export function toSshTarget(
  block: AgentlessTargetPayload,
  jobId: string,
  context: AgentlessTargetContext,
): SshTarget {
  return {
    host: block.host,
    port: block.port,
    user: block.user,
    hostKeyFingerprint: block.hostKeyFingerprint,
    credential: credentialOf(block.credential, jobId, context),
    useSudo: block.useSudo,
  };
}

function credentialOf(
  credential: AgentlessTargetPayload['credential'],
  jobId: string,
  context: AgentlessTargetContext,
): SshCredential {
  if (credential.kind === 'proxy-key') {
    const privateKey = context.keys.find(credential.keyName);
    if (privateKey === undefined) {
      const wanted = credential.keyName ?? 'any key';
      throw new AgentlessCredentialError(
        `This proxy holds no SSH key ${wanted} (it holds: ${context.keys.names.join(', ') || 'none'})`,
      );
    }
    return { kind: 'private-key', privateKey };
  }
  try {
    const password = decryptPayload(
      {
        ciphertext: Buffer.from(credential.ciphertext, 'base64'),
        ephemeralPublicKey: credential.ephemeralPublicKey,
      },
      context.identity.encryptionPrivateKey,
      {
        senderThumbprint: context.dmThumbprint,
        recipientThumbprint: context.identity.thumbprint,
        messageId: jobId,
      },
    );
    return { kind: 'password', password: password.toString('utf8') };
  } catch (error: unknown) {
    throw new AgentlessCredentialError(
      `job ${jobId}: the target's password cannot be decrypted by this proxy`,
      { cause: error },
    );
  }
}
