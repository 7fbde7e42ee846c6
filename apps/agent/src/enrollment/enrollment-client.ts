import { X509Certificate } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import {
  AGENT_ENROLLMENT_REQUEST_V1,
  EnvelopeRejectedError,
  computeBackoffDelay,
  thumbprintOf,
  type AmqpConnection,
  type EnvelopeOpener,
  type EnvelopeSealer,
  type FlotillaTopology,
  type Identity,
  type TrustStore,
} from '@flotilla/messaging';
import {
  DIRECT_REPLY_TO_QUEUE,
  DM_CERTIFICATE_HEADER,
  ENROLLMENT_ANSWER_TIMEOUT_MS,
  ENROLLMENT_INITIAL_RETRY_MS,
  ENROLLMENT_MAX_RETRY_MS,
  ENROLLMENT_REQUEST_QUEUE_TTL_MS,
  ENROLLMENT_REQUEST_TTL_MS,
} from '../agent.constants';
import type { AgentLogger } from '../support/agent-logger';
import type { EnrollmentState } from './enrollment-state';
import { collectHostFacts } from './host-facts';

/** The DM's answer to one enrollment request, as far as the agent acts on it. */
interface EnrollmentAnswer {
  readonly status: 'accepted' | 'pending' | 'rejected';
  readonly reason?: string;
  readonly brokerUser?: string;
  readonly brokerPassword?: string;
  readonly retryAfterMs?: number;
}

/** What an `EnrollmentClient` works with. */
export interface EnrollmentClientOptions {
  readonly identity: Identity;
  readonly connection: AmqpConnection;
  readonly topology: FlotillaTopology;
  readonly sealer: EnvelopeSealer;
  readonly opener: EnvelopeOpener;
  /** The agent's trust store: the DM's certificate goes in once its thumbprint matches the pin. */
  readonly trustStore: TrustStore;
  readonly dmThumbprint: string;
  readonly enrollmentToken?: string;
  readonly logger: AgentLogger;
  readonly signal: AbortSignal;
}

/**
 * Enrolls the agent through the broker: sends a signed enrollment request (certificate, name, host
 * facts) with a direct reply-to address, and accepts only answers signed by the pinned DM
 * thumbprint. Retries with exponential backoff and jitter while there is no answer or the DM says
 * pending; resolves with the broker credentials once accepted.
 */
export class EnrollmentClient {
  constructor(private readonly options: EnrollmentClientOptions) {}

  /**
   * Enrolls, retrying until accepted.
   * @throws Error when the DM rejects the agent, or when `signal` aborts.
   */
  async enroll(): Promise<EnrollmentState> {
    const { logger, signal } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      signal.throwIfAborted();
      const answer = await this.requestOnce().catch((error: unknown) => {
        logger.warn('enrollment request failed', { attempt, error: String(error) });
        return undefined;
      });
      if (answer?.status === 'accepted') {
        return this.acceptedState(answer);
      }
      if (answer?.status === 'rejected') {
        throw new Error(`the DM rejected this agent's enrollment: ${answer.reason ?? 'no reason'}`);
      }
      const waitMs =
        answer?.retryAfterMs ??
        computeBackoffDelay(attempt, {
          initialDelayMs: ENROLLMENT_INITIAL_RETRY_MS,
          maxDelayMs: ENROLLMENT_MAX_RETRY_MS,
        });
      logger.info('enrollment not accepted yet; retrying', {
        attempt,
        status: answer?.status ?? 'no answer',
        waitMs,
      });
      await delay(waitMs, undefined, { signal });
    }
  }

  private async acceptedState(answer: EnrollmentAnswer): Promise<EnrollmentState> {
    if (answer.brokerUser === undefined || answer.brokerPassword === undefined) {
      throw new Error(
        'the DM accepted this agent without broker credentials (brokerUser, brokerPassword)',
      );
    }
    const record = await this.options.trustStore.get(this.options.dmThumbprint);
    if (record === undefined) {
      // Unreachable: the answer verified, so the pinned DM is in the trust store.
      throw new Error(`the DM ${this.options.dmThumbprint} is not in the agent's trust store`);
    }
    return {
      status: 'accepted',
      acceptedAt: Date.now(),
      brokerUser: answer.brokerUser,
      brokerPassword: answer.brokerPassword,
      dmThumbprint: this.options.dmThumbprint,
      dmCertificatePem: record.certificatePem,
    };
  }

  private async requestOnce(): Promise<EnrollmentAnswer | undefined> {
    const model = await this.options.connection.waitForConnection(ENROLLMENT_ANSWER_TIMEOUT_MS);
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) =>
      this.options.logger.warn('enrollment channel error', { error: error.message }),
    );
    try {
      const answers = this.collectAnswers(channel);
      await channel.consume(DIRECT_REPLY_TO_QUEUE, answers.push, { noAck: true });
      await this.publishRequest(channel);
      return await answers.next(ENROLLMENT_ANSWER_TIMEOUT_MS);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  private async publishRequest(channel: ConfirmChannel): Promise<void> {
    const { identity, topology, sealer, connection } = this.options;
    const sealed = sealer.seal({
      type: AGENT_ENROLLMENT_REQUEST_V1.type,
      recipient: this.options.dmThumbprint,
      ttlMs: ENROLLMENT_REQUEST_TTL_MS,
      payload: {
        agentName: identity.name,
        encryptionPublicKey: identity.encryptionPublicKeyText,
        ...(this.options.enrollmentToken === undefined
          ? {}
          : { token: this.options.enrollmentToken }),
        facts: collectHostFacts(),
      },
    });
    await new Promise<void>((resolve, reject) => {
      channel.publish(
        topology.enrollExchange,
        topology.enrollRoutingKey,
        sealed.body,
        {
          persistent: false,
          messageId: sealed.messageId,
          type: sealed.type,
          contentType: 'application/json',
          replyTo: DIRECT_REPLY_TO_QUEUE,
          userId: connection.brokerUser,
          expiration: String(ENROLLMENT_REQUEST_QUEUE_TTL_MS),
        },
        (error: unknown) =>
          error ? reject(new Error('enrollment request nacked by the broker')) : resolve(),
      );
    });
    this.options.logger.info('enrollment request sent', { messageId: sealed.messageId });
  }

  /** Answers that verify under the pinned DM; anything else is logged and ignored. */
  private collectAnswers(channel: ConfirmChannel): {
    push: (message: ConsumeMessage | null) => void;
    next: (timeoutMs: number) => Promise<EnrollmentAnswer | undefined>;
  } {
    let settle: ((answer: EnrollmentAnswer | undefined) => void) | undefined;
    const push = (message: ConsumeMessage | null): void => {
      if (message === null) {
        settle?.(undefined);
        return;
      }
      void this.verify(message).then((answer) => {
        if (answer !== undefined) {
          settle?.(answer);
        }
      });
    };
    const next = (timeoutMs: number): Promise<EnrollmentAnswer | undefined> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        settle = (answer) => {
          clearTimeout(timer);
          resolve(answer);
        };
        channel.once('close', () => settle?.(undefined));
      });
    return { push, next };
  }

  private async verify(message: ConsumeMessage): Promise<EnrollmentAnswer | undefined> {
    const { logger, opener } = this.options;
    const messageId = message.properties.messageId as string | undefined;
    try {
      await this.learnDmCertificate(message);
      const opened = await opener.open(message.content);
      if (opened.type !== 'dm.enrollment.response.v1') {
        logger.warn('enrollment answer of an unexpected type ignored', {
          messageId,
          type: opened.type,
        });
        return undefined;
      }
      await opener.markHandled(opened);
      return opened.payload as EnrollmentAnswer;
    } catch (error: unknown) {
      const code = error instanceof EnvelopeRejectedError ? error.code : 'INVALID';
      logger.warn('enrollment answer refused', { messageId, code, error: String(error) });
      return undefined;
    }
  }

  /**
   * Trusts the certificate the answer carries in its AMQP header only when its SHA-256 thumbprint
   * is the pinned one, so that the signature check that follows is against the pinned DM.
   */
  private async learnDmCertificate(message: ConsumeMessage): Promise<void> {
    const carried = message.properties.headers?.[DM_CERTIFICATE_HEADER] as unknown;
    if (typeof carried !== 'string') {
      return;
    }
    const der = Buffer.from(carried, 'base64');
    if (thumbprintOf(der) !== this.options.dmThumbprint) {
      this.options.logger.warn(
        'enrollment answer carries a certificate that is not the pinned DM',
        {
          messageId: message.properties.messageId as string | undefined,
          thumbprint: thumbprintOf(der),
        },
      );
      return;
    }
    if ((await this.options.trustStore.get(this.options.dmThumbprint)) === undefined) {
      await this.options.trustStore.upsert({
        thumbprint: this.options.dmThumbprint,
        role: 'dm',
        state: 'trusted',
        certificatePem: new X509Certificate(der).toString(),
      });
    }
  }
}
