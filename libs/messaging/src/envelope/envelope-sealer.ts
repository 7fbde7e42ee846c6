import { randomUUID, type KeyObject } from 'node:crypto';
import { MessagingError } from '../errors';
import {
  DEFAULT_ENVELOPE_TTL_MS,
  PAYLOAD_ENCRYPTION_SCHEME,
  PROTOCOL_VERSION,
} from '../messaging.constants';
import type { Identity } from '../identity/identity';
import { signBytes, signatureAlgorithmOf } from '../identity/signature';
import { encryptPayload } from '../encryption/payload-encryption';
import type { MessagePolicy, MessageTypeDefinition } from '../policy/message-type-definition';
import { SYSTEM_CLOCK, type Clock } from '../support/clock';
import { ENVELOPE_HEADER_SCHEMA, signingInput, type EnvelopeHeader } from './envelope-header';
import { describeIssue } from './zod-issue';
import { isWellFormedHeader } from './envelope-fast-check';

/** The fast check as a plain boolean, so that `header` keeps its type on the zod fallback. */
const isHeaderChecked = (header: EnvelopeHeader): boolean => isWellFormedHeader(header);

/** What to send: type, recipient thumbprint, payload and per-message options. */
export interface SealInput {
  /** Registered message type, e.g. `agent.heartbeat.v1`. */
  readonly type: string;
  /** Thumbprint of the recipient's certificate (binds the envelope to one receiver). */
  readonly recipient: string;
  /** JSON-serialisable payload, validated against the type's schema before signing. */
  readonly payload: unknown;
  /** Lifetime in ms; the type's max TTL caps it; defaults to min(60 s, max TTL). */
  readonly ttlMs?: number;
  /** Id of the message this one answers. */
  readonly correlationId?: string;
  /** Idempotency key of the job this message belongs to. */
  readonly jobId?: string;
  /** Attach the sender certificate; defaults to what the type declares (only enrollment types allow it). */
  readonly includeCertificate?: boolean;
  /** Recipient X25519 public key (KeyObject or base64url raw) to encrypt the payload to. */
  readonly encryptFor?: KeyObject | string;
}

/** A signed envelope ready to publish, with the values a transport mirrors in AMQP properties. */
export interface SealedEnvelope {
  readonly body: Buffer;
  readonly messageId: string;
  readonly type: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Options of {@link EnvelopeSealer}. */
export interface EnvelopeSealerOptions {
  /** Allowlist of message types with their payload schemas. */
  readonly policy: MessagePolicy;
  /** Time source for issued-at. */
  readonly clock?: Clock;
}

/** Builds signed envelopes for one sender identity: validate, encrypt if asked, then sign the exact bytes. */
export class EnvelopeSealer {
  private readonly clock: Clock;

  constructor(
    private readonly identity: Identity,
    private readonly options: EnvelopeSealerOptions,
  ) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /**
   * Seals one message.
   * @throws MessagingError SEAL_INVALID when the type is unknown, the payload fails its schema, the
   * TTL exceeds the type's maximum, or encryption/certificate options contradict the type.
   */
  seal(input: SealInput): SealedEnvelope {
    const definition = this.definitionOf(input.type);
    const payload = this.validatedPayload(definition, input.payload);
    const ttlMs = input.ttlMs ?? Math.min(DEFAULT_ENVELOPE_TTL_MS, definition.maxTtlMs);
    if (!(ttlMs > 0) || ttlMs > definition.maxTtlMs) {
      this.fail(input.type, `ttlMs ${ttlMs} must be in (0, ${definition.maxTtlMs}]`);
    }
    if (definition.encrypted && input.encryptFor === undefined) {
      this.fail(input.type, 'payload must be encrypted: pass encryptFor');
    }
    const withCertificate = input.includeCertificate ?? definition.carriesCertificate;
    if (withCertificate !== definition.carriesCertificate) {
      this.fail(
        input.type,
        `type ${definition.carriesCertificate ? 'requires' : 'forbids'} the certificate`,
      );
    }
    const issuedAt = this.clock.now();
    const header: EnvelopeHeader = {
      v: PROTOCOL_VERSION,
      typ: input.type,
      alg: signatureAlgorithmOf(this.identity.keyType),
      kid: this.identity.thumbprint,
      iss: this.identity.name,
      aud: input.recipient,
      id: randomUUID(),
      iat: issuedAt,
      exp: issuedAt + ttlMs,
      enc: 'none',
      ...(input.correlationId === undefined ? {} : { corr: input.correlationId }),
      ...(input.jobId === undefined ? {} : { jobId: input.jobId }),
      ...(withCertificate ? { x5c: this.identity.certificateDer.toString('base64') } : {}),
    };
    const payloadBytes = this.encode(header, payload, input.encryptFor);
    return this.sign(header, payloadBytes);
  }

  private encode(
    header: EnvelopeHeader,
    payload: unknown,
    encryptFor?: KeyObject | string,
  ): Buffer {
    const plaintext = Buffer.from(JSON.stringify(payload), 'utf8');
    if (encryptFor === undefined) {
      return plaintext;
    }
    const encrypted = encryptPayload(plaintext, encryptFor, {
      senderThumbprint: header.kid,
      recipientThumbprint: header.aud,
      messageId: header.id,
    });
    header.enc = PAYLOAD_ENCRYPTION_SCHEME;
    header.epk = encrypted.ephemeralPublicKey;
    return encrypted.ciphertext;
  }

  private sign(header: EnvelopeHeader, payloadBytes: Buffer): SealedEnvelope {
    if (!isHeaderChecked(header)) {
      // Only zod names the failing field; the hand-written check accepts a subset of the schema.
      const checked = ENVELOPE_HEADER_SCHEMA.safeParse(header);
      if (!checked.success) {
        this.fail(header.typ, `header ${describeIssue(checked.error)}`);
      }
    }
    const protectedPart = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
    const payloadPart = payloadBytes.toString('base64url');
    const signature = signBytes(signingInput(protectedPart, payloadPart), this.identity.privateKey);
    const wire = {
      protected: protectedPart,
      payload: payloadPart,
      sig: signature.toString('base64url'),
    };
    return {
      body: Buffer.from(JSON.stringify(wire), 'utf8'),
      messageId: header.id,
      type: header.typ,
      issuedAt: header.iat,
      expiresAt: header.exp,
    };
  }

  private definitionOf(type: string): MessageTypeDefinition {
    const definition = this.options.policy.definitionOf(type);
    if (definition === undefined) {
      return this.fail(type, 'type is not registered in the message policy');
    }
    return definition;
  }

  private validatedPayload(definition: MessageTypeDefinition, payload: unknown): unknown {
    const result = definition.schema.safeParse(payload);
    if (!result.success) {
      this.fail(definition.type, `payload ${describeIssue(result.error)}`);
    }
    return result.data;
  }

  private fail(type: string, reason: string): never {
    throw new MessagingError('SEAL_INVALID', `cannot seal ${type}: ${reason}`, { type });
  }
}
