import { createHash } from 'node:crypto';

/** The SHA-256 fingerprint of a raw SSH public key blob, as OpenSSH prints it (`SHA256:...`). */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The result of comparing a presented host key with the pinned fingerprint: the presented
 * fingerprint is kept so that a refusal can show both.
 */
export class HostKeyCheck {
  private presentedFingerprint: string | undefined;

  constructor(readonly expectedFingerprint: string) {}

  /** The fingerprint the server presented, once it has presented one. */
  get presented(): string | undefined {
    return this.presentedFingerprint;
  }

  /** True only when the presented key matches the pinned fingerprint exactly. */
  verify(keyBlob: Buffer): boolean {
    this.presentedFingerprint = hostKeyFingerprint(keyBlob);
    return this.presentedFingerprint === this.expectedFingerprint;
  }

  /** True when a key was presented and it was not the pinned one. */
  get isMismatch(): boolean {
    return (
      this.presentedFingerprint !== undefined &&
      this.presentedFingerprint !== this.expectedFingerprint
    );
  }
}
