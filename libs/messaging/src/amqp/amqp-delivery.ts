import type { MessageProperties } from 'amqplib';

/** One message handed to a delivery handler: its raw bytes (never parsed by the transport) and properties. */
export interface AmqpDelivery {
  readonly queue: string;
  readonly body: Buffer;
  readonly properties: MessageProperties;
  readonly routingKey: string;
  readonly isRedelivered: boolean;
  /** How many times this message was already retried after a handler failure (0 on first delivery). */
  readonly retryCount: number;
}

/** A function that handles one delivery; resolving acks it, throwing retries or dead-letters it. */
export type DeliveryHandler = (delivery: AmqpDelivery) => Promise<void> | void;
