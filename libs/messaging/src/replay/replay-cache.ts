/** Memory of (sender, message id) pairs already handled, kept until the message could no longer be accepted. */
export interface ReplayCache {
  /** Tells whether this sender's message id was already remembered and has not expired. */
  has(senderThumbprint: string, messageId: string): Promise<boolean>;
  /** Remembers a handled message until `expiresAt` (ms epoch, include the clock-skew allowance). */
  remember(senderThumbprint: string, messageId: string, expiresAt: number): Promise<void>;
}
