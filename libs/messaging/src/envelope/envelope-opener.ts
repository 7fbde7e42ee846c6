import {
  DEFAULT_CLOCK_SKEW_MS,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_MIN_PROTOCOL_VERSION,
} from '../messaging.constants';
import type { Identity } from '../identity/identity';
import type { CertificateFacts } from '../identity/certificate-key';
import { signatureAlgorithmOf, verifyBytes } from '../identity/signature';
import type { SignatureVerifier } from '../identity/signature-verifier';
import { decryptPayload } from '../encryption/payload-encryption';
import type { MessagePolicy, MessageTypeDefinition } from '../policy/message-type-definition';
import type { ReplayCache } from '../replay/replay-cache';
import type { TrustStore } from '../trust/trust-store';
import { SYSTEM_CLOCK, type Clock } from '../support/clock';
import { MessagingError } from '../errors';
import { CertificateKeyCache } from './certificate-key-cache';
import { decodeEnvelope, type DecodedEnvelope } from './envelope-decoder';
import { signingInput, type EnvelopeHeader } from './envelope-header';
import { EnvelopeRejectedError } from './envelope-rejected.error';
import type { OpenedEnvelope } from './opened-envelope';
import { authorizeSender, type AuthorizedSender } from './sender-authorization';
import { describeIssue, firstIssueField } from './zod-issue';

/** Options of {@link EnvelopeOpener}; every limit has a documented default in messaging.constants. */
export interface EnvelopeOpenerOptions {
  /** Largest body read, in bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** Clock difference tolerated on issued-at and expires-at (default 30 s). */
  readonly clockSkewMs?: number;
  /** Lowest protocol version accepted (refuses downgrades; default 1). */
  readonly minProtocolVersion?: number;
  /**
   * Other thumbprints this receiver answers to besides its identity's, e.g. its previous identity
   * while senders still address it during a key rollover (signed payloads only; encrypted ones
   * always use the current identity's X25519 key).
   */
  readonly alsoRecipientThumbprints?: readonly string[];
  /** Time source (default: system clock). */
  readonly clock?: Clock;
  /** Where signatures are checked (default: in the calling thread; see WorkerSignatureVerifier). */
  readonly verifier?: SignatureVerifier;
}

/** Transport facts about a delivery that the envelope is checked against. */
export interface OpenContext {
  /** The broker-validated AMQP `user_id` property of the delivery. */
  readonly brokerUserId?: string;
}

/**
 * Verifies envelopes for one receiver, in this order: size, parse, schema and version, type
 * allowlist, sender trust and role, signature, recipient, broker user, time window and TTL,
 * replay, then decryption and payload schema. It never remembers ids itself: call
 * {@link EnvelopeOpener.markHandled} after the handler succeeded (at-least-once delivery).
 */
export class EnvelopeOpener {
  private readonly maxBytes: number;
  private readonly clockSkewMs: number;
  private readonly minProtocolVersion: number;
  private readonly clock: Clock;
  private readonly recipients: ReadonlySet<string>;
  private readonly keys = new CertificateKeyCache();
  private readonly verifier: SignatureVerifier | undefined;

  constructor(
    private readonly identity: Identity,
    private readonly trustStore: TrustStore,
    private readonly replayCache: ReplayCache,
    private readonly policy: MessagePolicy,
    options: EnvelopeOpenerOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_ENVELOPE_BYTES;
    this.clockSkewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
    this.minProtocolVersion = options.minProtocolVersion ?? DEFAULT_MIN_PROTOCOL_VERSION;
    this.recipients = new Set([identity.thumbprint, ...(options.alsoRecipientThumbprints ?? [])]);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.verifier = options.verifier;
  }

  /**
   * Opens an envelope body received from the broker.
   * @throws EnvelopeRejectedError with the code of the first failed check.
   */
  async open(body: Buffer, context: OpenContext = {}): Promise<OpenedEnvelope> {
    const decoded = decodeEnvelope(body, {
      maxBytes: this.maxBytes,
      minProtocolVersion: this.minProtocolVersion,
    });
    const { header } = decoded;
    const definition = this.definitionOf(header);
    // Both lookups read only the header's kid and id, so they run at once (one wait instead of two
    // on a database-backed store); their answers are still checked in order, signature first.
    const [record, isReplayed] = await Promise.all([
      this.trustStore.get(header.kid),
      this.replayCache.has(header.kid, header.id),
    ]);
    const authorized = authorizeSender(header, definition, record);
    await this.checkSignature(decoded, authorized);
    this.checkBinding(header, authorized, context);
    this.checkTimes(header, definition);
    if (isReplayed) {
      this.reject('REPLAYED', header, `message id already handled from ${header.kid}`);
    }
    return {
      type: header.typ,
      messageId: header.id,
      ...(header.corr === undefined ? {} : { correlationId: header.corr }),
      ...(header.jobId === undefined ? {} : { jobId: header.jobId }),
      issuedAt: header.iat,
      expiresAt: header.exp,
      rememberUntil: header.exp + this.clockSkewMs,
      sender: authorized.sender,
      payload: this.readPayload(decoded, definition),
    };
  }

  /** Records a handled envelope in the replay cache so that a replay of it is refused. */
  async markHandled(opened: OpenedEnvelope): Promise<void> {
    await this.replayCache.remember(
      opened.sender.thumbprint,
      opened.messageId,
      opened.rememberUntil,
    );
  }

  private definitionOf(header: EnvelopeHeader): MessageTypeDefinition {
    const definition = this.policy.definitionOf(header.typ);
    if (definition === undefined) {
      return this.reject('TYPE_NOT_ALLOWED', header, `type ${header.typ} is not accepted here`);
    }
    if (definition.carriesCertificate !== (header.x5c !== undefined)) {
      const expectation = definition.carriesCertificate ? 'requires' : 'forbids';
      this.reject(
        'ENVELOPE_SCHEMA',
        header,
        `type ${header.typ} ${expectation} the certificate`,
        'protected.x5c',
      );
    }
    return definition;
  }

  private async checkSignature(
    decoded: DecodedEnvelope,
    authorized: AuthorizedSender,
  ): Promise<void> {
    const facts = this.certificateFacts(decoded.header, authorized.verificationCertificatePem);
    const expectedAlgorithm = signatureAlgorithmOf(facts.keyType);
    if (decoded.header.alg !== expectedAlgorithm) {
      this.reject(
        'SIGNATURE_INVALID',
        decoded.header,
        `alg ${decoded.header.alg} does not match the ${facts.keyType} key on record`,
        'protected.alg',
      );
    }
    this.checkValidity(decoded.header, facts);
    const input = signingInput(decoded.protectedPart, decoded.payloadPart);
    const isValid =
      this.verifier === undefined
        ? verifyBytes(input, decoded.signature, facts.publicKey)
        : await this.verifier.verify(input, decoded.signature, facts.publicKey);
    if (!isValid) {
      this.reject(
        'SIGNATURE_INVALID',
        decoded.header,
        `signature does not verify with ${decoded.header.kid}`,
      );
    }
  }

  private checkValidity(header: EnvelopeHeader, facts: CertificateFacts): void {
    const now = this.clock.now();
    if (now < facts.validFromMs - this.clockSkewMs || now > facts.validToMs + this.clockSkewMs) {
      const period = `${new Date(facts.validFromMs).toISOString()} to ${new Date(facts.validToMs).toISOString()}`;
      this.reject(
        'CERTIFICATE_EXPIRED',
        header,
        `signer certificate is valid from ${period}, not now`,
      );
    }
  }

  private certificateFacts(header: EnvelopeHeader, certificatePem: string): CertificateFacts {
    try {
      return this.keys.factsOf(certificatePem);
    } catch (error: unknown) {
      if (error instanceof MessagingError) {
        return this.reject(
          'SIGNATURE_INVALID',
          header,
          `signer certificate unusable: ${error.message}`,
        );
      }
      throw error;
    }
  }

  private checkBinding(
    header: EnvelopeHeader,
    authorized: AuthorizedSender,
    context: OpenContext,
  ): void {
    if (!this.recipients.has(header.aud)) {
      this.reject(
        'WRONG_RECIPIENT',
        header,
        `addressed to ${header.aud}, not to ${this.identity.thumbprint}`,
        'protected.aud',
      );
    }
    const brokerUser = authorized.record?.brokerUser;
    if (brokerUser !== undefined && context.brokerUserId !== brokerUser) {
      this.reject(
        'BROKER_USER_MISMATCH',
        header,
        `published by broker user "${context.brokerUserId ?? '(none)'}", expected "${brokerUser}"`,
      );
    }
  }

  private checkTimes(header: EnvelopeHeader, definition: MessageTypeDefinition): void {
    const now = this.clock.now();
    if (now < header.iat - this.clockSkewMs) {
      this.reject(
        'NOT_YET_VALID',
        header,
        `issued at ${header.iat}, more than ${this.clockSkewMs} ms after now (${now})`,
        'protected.iat',
      );
    }
    if (now >= header.exp + this.clockSkewMs) {
      this.reject(
        'EXPIRED',
        header,
        `expired at ${header.exp} (now ${now}, skew ${this.clockSkewMs} ms)`,
        'protected.exp',
      );
    }
    if (header.exp - header.iat > definition.maxTtlMs) {
      this.reject(
        'TTL_TOO_LONG',
        header,
        `lifetime ${header.exp - header.iat} ms exceeds ${definition.maxTtlMs} ms for ${header.typ}`,
        'protected.exp',
      );
    }
  }

  private readPayload(decoded: DecodedEnvelope, definition: MessageTypeDefinition): unknown {
    const { header } = decoded;
    if (definition.encrypted && header.enc === 'none') {
      this.reject(
        'PAYLOAD_NOT_ENCRYPTED',
        header,
        `type ${header.typ} requires an encrypted payload`,
        'protected.enc',
      );
    }
    const bytes = this.plaintextOf(decoded);
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error: unknown) {
      throw new EnvelopeRejectedError(
        'ENVELOPE_MALFORMED',
        'payload is not valid JSON',
        { messageId: header.id, messageType: header.typ, field: 'payload' },
        { cause: error },
      );
    }
    const result = definition.schema.safeParse(value);
    if (!result.success) {
      this.reject(
        'PAYLOAD_SCHEMA',
        header,
        `payload ${describeIssue(result.error)}`,
        firstIssueField(result.error, 'payload'),
      );
    }
    return result.data;
  }

  private plaintextOf(decoded: DecodedEnvelope): Buffer {
    const { header } = decoded;
    const bytes = Buffer.from(decoded.payloadPart, 'base64url');
    if (header.epk === undefined) {
      return bytes;
    }
    const binding = {
      senderThumbprint: header.kid,
      recipientThumbprint: header.aud,
      messageId: header.id,
    };
    try {
      return decryptPayload(
        { ciphertext: bytes, ephemeralPublicKey: header.epk },
        this.identity.encryptionPrivateKey,
        binding,
      );
    } catch (error: unknown) {
      if (error instanceof MessagingError) {
        throw new EnvelopeRejectedError(
          'DECRYPTION_FAILED',
          error.message,
          { messageId: header.id, messageType: header.typ },
          { cause: error },
        );
      }
      throw error;
    }
  }

  private reject(
    code: EnvelopeRejectedError['code'],
    header: EnvelopeHeader,
    reason: string,
    field?: string,
  ): never {
    throw new EnvelopeRejectedError(code, reason, {
      messageId: header.id,
      messageType: header.typ,
      sender: header.kid,
      ...(field === undefined ? {} : { field }),
    });
  }
}
