import { PROTOCOL_VERSION } from '../messaging.constants';
import {
  ENVELOPE_HEADER_SCHEMA,
  WIRE_ENVELOPE_SCHEMA,
  type EnvelopeHeader,
} from './envelope-header';
import { EnvelopeRejectedError } from './envelope-rejected.error';
import { isWellFormedHeader, isWellFormedWire, type WellFormedWire } from './envelope-fast-check';
import { describeIssue, firstIssueField } from './zod-issue';

/** An envelope whose size, shape, version and header schema passed, not yet authenticated. */
export interface DecodedEnvelope {
  readonly header: EnvelopeHeader;
  readonly protectedPart: string;
  readonly payloadPart: string;
  readonly signature: Buffer;
}

/**
 * Runs the checks that need no key: size limit, strict JSON parse, wire schema, protocol version
 * (downgrade refusal) and header schema. Nothing of the payload is parsed here.
 * @throws EnvelopeRejectedError ENVELOPE_TOO_LARGE, ENVELOPE_MALFORMED, ENVELOPE_SCHEMA,
 * VERSION_TOO_OLD or VERSION_UNSUPPORTED.
 */
export function decodeEnvelope(
  body: Buffer,
  limits: { maxBytes: number; minProtocolVersion: number },
): DecodedEnvelope {
  if (body.length > limits.maxBytes) {
    throw new EnvelopeRejectedError(
      'ENVELOPE_TOO_LARGE',
      `${body.length} bytes exceed the limit of ${limits.maxBytes}`,
    );
  }
  const wire = wireOf(parseJson(body, 'body', '(root)'));
  const rawHeader = parseJson(
    Buffer.from(wire.protected, 'base64url'),
    'protected header',
    'protected',
  );
  checkVersion(rawHeader, limits.minProtocolVersion);
  return {
    header: headerOf(rawHeader),
    protectedPart: wire.protected,
    payloadPart: wire.payload,
    signature: canonicalSignature(wire.sig, rawHeader),
  };
}

// The hand-written checks accept only what the schemas accept; zod runs when they say no, to name
// the failing field (decision 0121).
function wireOf(parsed: unknown): WellFormedWire {
  if (isWellFormedWire(parsed)) {
    return parsed;
  }
  const wire = WIRE_ENVELOPE_SCHEMA.safeParse(parsed);
  if (!wire.success) {
    throw new EnvelopeRejectedError('ENVELOPE_SCHEMA', describeIssue(wire.error), {
      field: firstIssueField(wire.error),
    });
  }
  return wire.data;
}

function headerOf(rawHeader: unknown): EnvelopeHeader {
  if (isWellFormedHeader(rawHeader)) {
    return rawHeader;
  }
  const header = ENVELOPE_HEADER_SCHEMA.safeParse(rawHeader);
  if (!header.success) {
    throw new EnvelopeRejectedError('ENVELOPE_SCHEMA', `header ${describeIssue(header.error)}`, {
      ...headerFacts(rawHeader),
      field: firstIssueField(header.error, 'protected'),
    });
  }
  return header.data;
}

// base64url decoding ignores the unused low bits of the last character, so several texts decode
// to the same signature; only the canonical one is accepted, which makes envelopes non-malleable.
function canonicalSignature(text: string, rawHeader: unknown): Buffer {
  const signature = Buffer.from(text, 'base64url');
  if (signature.toString('base64url') !== text) {
    throw new EnvelopeRejectedError('ENVELOPE_MALFORMED', 'sig is not canonical base64url', {
      ...headerFacts(rawHeader),
      field: 'sig',
    });
  }
  return signature;
}

function parseJson(bytes: Buffer, what: string, field: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new EnvelopeRejectedError(
      'ENVELOPE_MALFORMED',
      `${what} is not valid JSON: ${detail}`,
      { field },
      { cause: error },
    );
  }
}

function headerFacts(rawHeader: unknown): { messageId?: string; messageType?: string } {
  if (typeof rawHeader !== 'object' || rawHeader === null) {
    return {};
  }
  const { id, typ } = rawHeader as Record<string, unknown>;
  return {
    ...(typeof id === 'string' ? { messageId: id.slice(0, 64) } : {}),
    ...(typeof typ === 'string' ? { messageType: typ.slice(0, 128) } : {}),
  };
}

function checkVersion(rawHeader: unknown, minProtocolVersion: number): void {
  const version = (rawHeader as { v?: unknown } | null)?.v;
  if (typeof version !== 'number') {
    return;
  }
  if (version < minProtocolVersion) {
    throw new EnvelopeRejectedError(
      'VERSION_TOO_OLD',
      `protocol version ${version} is below the minimum ${minProtocolVersion}`,
      { ...headerFacts(rawHeader), field: 'protected.v' },
    );
  }
  if (version > PROTOCOL_VERSION) {
    throw new EnvelopeRejectedError(
      'VERSION_UNSUPPORTED',
      `protocol version ${version} is newer than the supported ${PROTOCOL_VERSION}`,
      { ...headerFacts(rawHeader), field: 'protected.v' },
    );
  }
}
