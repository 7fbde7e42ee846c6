import { Inject, Injectable } from '@nestjs/common';
import { decryptPayload, encryptPayload, type Identity } from '@flotilla/messaging';
import type { AgentlessTargetPayload } from '@flotilla/protocol';
import { DM_IDENTITY } from '../messaging/messaging.constants';
import { toEnvelopeThumbprint } from '../messaging/thumbprints';
import type { SealedPassword } from './agentless-target';
import type { ProxyCandidate } from './agentless-targets.repository';

/**
 * Keeps an agentless target's password secret: at rest it is encrypted to the DM's own X25519
 * key (bound to the instance), and each step command carries it encrypted to the serving proxy
 * (bound to DM, proxy and job id), with the same payload encryption as the envelopes.
 */
@Injectable()
export class AgentlessSecrets {
  constructor(@Inject(DM_IDENTITY) private readonly identity: Identity) {}

  /** Encrypts an operator's password for storage. */
  seal(password: string, instanceId: string): SealedPassword {
    const encrypted = encryptPayload(
      Buffer.from(password, 'utf8'),
      this.identity.encryptionPublicKey,
      this.atRest(instanceId),
    );
    return {
      ciphertext: encrypted.ciphertext.toString('base64'),
      ephemeralPublicKey: encrypted.ephemeralPublicKey,
    };
  }

  /**
   * The stored password re-encrypted to `proxy` for one job.
   * @throws MessagingError DECRYPTION_FAILED when the stored value was not sealed by this DM.
   */
  forProxy(
    sealed: SealedPassword,
    instanceId: string,
    proxy: ProxyCandidate & { encryptionPublicKey: string },
    jobId: string,
  ): AgentlessTargetPayload['credential'] {
    const password = decryptPayload(
      {
        ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
        ephemeralPublicKey: sealed.ephemeralPublicKey,
      },
      this.identity.encryptionPrivateKey,
      this.atRest(instanceId),
    );
    const encrypted = encryptPayload(password, proxy.encryptionPublicKey, {
      senderThumbprint: this.identity.thumbprint,
      recipientThumbprint: toEnvelopeThumbprint(proxy.thumbprint),
      messageId: jobId,
    });
    password.fill(0);
    return {
      kind: 'password',
      ciphertext: encrypted.ciphertext.toString('base64'),
      ephemeralPublicKey: encrypted.ephemeralPublicKey,
    };
  }

  private atRest(instanceId: string) {
    return {
      senderThumbprint: this.identity.thumbprint,
      recipientThumbprint: this.identity.thumbprint,
      messageId: `agentless-target:${instanceId}`,
    };
  }
}
