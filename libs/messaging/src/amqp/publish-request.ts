/** One message to publish: where it goes, its bytes, and the AMQP properties Flotilla uses. */
export interface PublishRequest {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: Buffer;
  /** Required: consumers deduplicate by message id, so a retried publish keeps it. */
  readonly messageId: string;
  readonly type?: string;
  readonly correlationId?: string;
  readonly contentType?: string;
  /** Per-message TTL: the broker dead-letters the message when it expires in a queue. */
  readonly expirationMs?: number;
  readonly headers?: Readonly<Record<string, unknown>>;
}
