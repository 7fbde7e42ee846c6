import { once } from 'node:events';
import * as amqp from 'amqplib';
import type { ConsumeMessage } from 'amqplib';
import {
  AGENT_ENROLLMENT_REQUEST_V1,
  DM_ENROLLMENT_RESPONSE_V1,
  EnvelopeOpener,
  EnvelopeSealer,
  type FlotillaTopology,
  type Identity,
  type MessagePolicy,
  type ReplayCache,
  type TrustStore,
} from '@flotilla/messaging';
import type { z } from 'zod';

/** The answer an agent receives to its enrollment request. */
export type EnrollmentAnswer = z.output<typeof DM_ENROLLMENT_RESPONSE_V1.schema>;

/** The direct reply-to pseudo queue of RabbitMQ: answers come back on the asking channel. */
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/** What an agent needs to enroll: its identity, the DM it pins, and the enrollment broker user. */
export interface EnrollmentClientOptions {
  readonly identity: Identity;
  readonly dmThumbprint: string;
  readonly enrollUrl: string;
  readonly topology: FlotillaTopology;
  readonly policy: MessagePolicy;
  readonly trustStore: TrustStore;
  readonly replayCache: ReplayCache;
}

/**
 * The agent side of enrollment over the broker: a channel consuming RabbitMQ's direct reply-to,
 * signed requests carrying the certificate, and every answer verified and decrypted before use.
 */
export class EnrollmentClient {
  private readonly answers: EnrollmentAnswer[] = [];
  private readonly waiters: Array<(answer: EnrollmentAnswer) => void> = [];
  /** Answers that failed verification (a test fails on them). */
  readonly refused: unknown[] = [];

  private constructor(
    private readonly options: EnrollmentClientOptions,
    private readonly model: amqp.ChannelModel,
    private readonly channel: amqp.Channel,
  ) {}

  /** Connects with the enrollment user and listens for answers. */
  static async open(options: EnrollmentClientOptions): Promise<EnrollmentClient> {
    const model = await amqp.connect(options.enrollUrl);
    model.on('error', () => undefined); // a closed test connection is not a failure
    const channel = await model.createChannel();
    const client = new EnrollmentClient(options, model, channel);
    await channel.consume(DIRECT_REPLY_TO, (message) => client.receive(message), { noAck: true });
    return client;
  }

  /** Sends one enrollment request; `nextAnswer()` receives the DM's reply. */
  ask(token?: string): void {
    const { identity, dmThumbprint, topology, policy } = this.options;
    const sealed = new EnvelopeSealer(identity, { policy }).seal({
      type: AGENT_ENROLLMENT_REQUEST_V1.type,
      recipient: dmThumbprint,
      payload: {
        agentName: identity.name,
        encryptionPublicKey: identity.encryptionPublicKeyText,
        facts: { os: 'linux' },
        ...(token === undefined ? {} : { token }),
      },
    });
    this.channel.publish(topology.enrollExchange, topology.enrollRoutingKey, sealed.body, {
      messageId: sealed.messageId,
      type: sealed.type,
      replyTo: DIRECT_REPLY_TO,
      persistent: true,
    });
  }

  /** The next answer not yet taken, waiting for it up to `timeoutMs`. */
  async nextAnswer(timeoutMs = 20_000): Promise<EnrollmentAnswer> {
    const ready = this.answers.shift();
    if (ready !== undefined) {
      return ready;
    }
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new Error(`no enrollment answer within ${timeoutMs} ms`));
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push((answer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      });
    });
  }

  /** Closes the enrollment connection. */
  async close(): Promise<void> {
    const closed = once(this.model, 'close');
    await this.model.close().catch(() => undefined);
    await closed.catch(() => undefined);
  }

  private receive(message: ConsumeMessage | null): void {
    if (message === null) {
      return;
    }
    const { identity, trustStore, replayCache, policy } = this.options;
    const opener = new EnvelopeOpener(identity, trustStore, replayCache, policy);
    void opener.open(message.content).then(
      (opened) => {
        const answer = opened.payload as EnrollmentAnswer;
        const waiter = this.waiters.shift();
        if (waiter === undefined) {
          this.answers.push(answer);
        } else {
          waiter(answer);
        }
      },
      (error: unknown) => this.refused.push(error),
    );
  }
}
