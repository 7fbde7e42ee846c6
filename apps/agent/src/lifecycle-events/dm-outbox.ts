import type { FlotillaTopology, SecurePublisher } from '@flotilla/messaging';

/** The agent's way to the DM: seals each message for the pinned DM and publishes it on `flotilla.dm`. */
export class DmOutbox {
  constructor(
    private readonly publisher: SecurePublisher,
    private readonly topology: FlotillaTopology,
    private readonly agentName: string,
    private readonly dmThumbprint: string,
  ) {}

  /**
   * Sends one message of `type` under routing key `agent.<name>.<kind>`; resolves once confirmed.
   * @throws MessagingError SEAL_INVALID or AmqpError from the transport.
   */
  async send(
    kind: string,
    type: string,
    payload: unknown,
    extra: { correlationId?: string; jobId?: string } = {},
  ): Promise<string> {
    const sealed = await this.publisher.send(
      {
        exchange: this.topology.dmExchange,
        routingKey: this.topology.agentToDmRoutingKey(this.agentName, kind),
      },
      { type, recipient: this.dmThumbprint, payload, ...extra },
    );
    return sealed.messageId;
  }
}
