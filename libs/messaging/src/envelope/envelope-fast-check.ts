import { regexes } from 'zod';
import { PAYLOAD_ENCRYPTION_SCHEME } from '../messaging.constants';
import { THUMBPRINT_PATTERN } from '../identity/thumbprint';
import type { EnvelopeHeader } from './envelope-header';

// Hand-written checks for the hot path (decision 0121). Each accepts a subset of what its zod
// schema in envelope-header.ts accepts: `true` means the schema would accept the value unchanged,
// `false` means "ask the schema", which then names the failing field. A check never widens what is
// accepted; when in doubt (an `undefined` value, an unknown key) it answers `false`.

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const UUID = regexes.uuid();
const X25519_KEY_LENGTH = 43;
const MAX_NAME_LENGTH = 128;
const MAX_CERTIFICATE_LENGTH = 16_384;
const WIRE_KEYS = 3;
const HEADER_KEYS: ReadonlySet<string> = new Set([
  'v',
  'typ',
  'alg',
  'kid',
  'iss',
  'aud',
  'id',
  'iat',
  'exp',
  'corr',
  'jobId',
  'enc',
  'epk',
  'x5c',
]);

/** The wire envelope after a successful check. */
export interface WellFormedWire {
  readonly protected: string;
  readonly payload: string;
  readonly sig: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function isBase64Url(value: unknown, min: number): value is string {
  return typeof value === 'string' && value.length >= min && BASE64URL.test(value);
}

function isEpochMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isOptionalText(record: Record<string, unknown>, key: string, max: number): boolean {
  return !Object.hasOwn(record, key) || isText(record[key], 1, max);
}

/** Whether `value` is a wire envelope that WIRE_ENVELOPE_SCHEMA accepts as is. */
export function isWellFormedWire(value: unknown): value is WellFormedWire {
  if (!isRecord(value) || Object.keys(value).length !== WIRE_KEYS) {
    return false;
  }
  return (
    Object.hasOwn(value, 'protected') &&
    Object.hasOwn(value, 'payload') &&
    Object.hasOwn(value, 'sig') &&
    isBase64Url(value.protected, 1) &&
    isBase64Url(value.payload, 0) &&
    isBase64Url(value.sig, 1)
  );
}

function hasOnlyHeaderKeys(record: Record<string, unknown>): boolean {
  for (const key of Object.keys(record)) {
    if (!HEADER_KEYS.has(key) || record[key] === undefined) {
      return false;
    }
  }
  return true;
}

function hasWellFormedOptions(record: Record<string, unknown>): boolean {
  const isEncrypted = record.enc === PAYLOAD_ENCRYPTION_SCHEME;
  if (!isEncrypted && record.enc !== 'none') {
    return false;
  }
  const hasKey = Object.hasOwn(record, 'epk');
  if (hasKey !== isEncrypted) {
    return false;
  }
  return (
    (!hasKey ||
      (isText(record.epk, X25519_KEY_LENGTH, X25519_KEY_LENGTH) && BASE64URL.test(record.epk))) &&
    isOptionalText(record, 'corr', MAX_NAME_LENGTH) &&
    isOptionalText(record, 'jobId', MAX_NAME_LENGTH) &&
    isOptionalText(record, 'x5c', MAX_CERTIFICATE_LENGTH)
  );
}

/** Whether `value` is a header that ENVELOPE_HEADER_SCHEMA accepts as is. */
export function isWellFormedHeader(value: unknown): value is EnvelopeHeader {
  if (!isRecord(value) || !hasOnlyHeaderKeys(value)) {
    return false;
  }
  const { v, typ, alg, kid, iss, aud, id, iat, exp } = value;
  return (
    typeof v === 'number' &&
    Number.isSafeInteger(v) &&
    v > 0 &&
    isText(typ, 1, MAX_NAME_LENGTH) &&
    (alg === 'EdDSA' || alg === 'PS256') &&
    typeof kid === 'string' &&
    THUMBPRINT_PATTERN.test(kid) &&
    isText(iss, 1, MAX_NAME_LENGTH) &&
    typeof aud === 'string' &&
    THUMBPRINT_PATTERN.test(aud) &&
    typeof id === 'string' &&
    UUID.test(id) &&
    isEpochMs(iat) &&
    isEpochMs(exp) &&
    exp > iat &&
    hasWellFormedOptions(value)
  );
}
