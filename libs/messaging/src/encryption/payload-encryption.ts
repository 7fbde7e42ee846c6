import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { MessagingError } from '../errors';
import { PAYLOAD_ENCRYPTION_LABEL } from '../messaging.constants';
import { encryptionPublicKeyToText } from '../identity/assemble-identity';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Values that bind a ciphertext to one message between two parties (used as AAD and HKDF info). */
export interface EncryptionBinding {
  readonly senderThumbprint: string;
  readonly recipientThumbprint: string;
  readonly messageId: string;
}

/** An encrypted payload: ciphertext with its GCM tag appended, and the sender's ephemeral public key. */
export interface EncryptedPayload {
  readonly ciphertext: Buffer;
  /** Ephemeral X25519 public key, base64url of its 32 raw bytes. */
  readonly ephemeralPublicKey: string;
}

/**
 * Encrypts a payload to a recipient's X25519 key, HPKE base-mode style with node:crypto only:
 * a fresh ephemeral X25519 key, ECDH, HKDF-SHA256 (salt = ephemeral || recipient public keys,
 * info = label || binding) yielding an AES-256-GCM key and nonce, and the binding as AAD.
 */
export function encryptPayload(
  plaintext: Buffer,
  recipientPublicKey: KeyObject | string,
  binding: EncryptionBinding,
): EncryptedPayload {
  const recipient = toPublicKey(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralText = encryptionPublicKeyToText(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const { key, nonce } = deriveKey(
    shared,
    ephemeralText,
    encryptionPublicKeyToText(recipient),
    binding,
  );
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(bindingBytes(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext, ephemeralPublicKey: ephemeralText };
}

/**
 * Decrypts a payload sealed by {@link encryptPayload} with the recipient's X25519 private key.
 * @throws MessagingError DECRYPTION_FAILED when the key, binding or ciphertext does not match.
 */
export function decryptPayload(
  encrypted: EncryptedPayload,
  recipientPrivateKey: KeyObject,
  binding: EncryptionBinding,
): Buffer {
  try {
    const ephemeral = toPublicKey(encrypted.ephemeralPublicKey);
    const shared = diffieHellman({ privateKey: recipientPrivateKey, publicKey: ephemeral });
    const recipientText = encryptionPublicKeyToText(createPublicKey(recipientPrivateKey));
    const { key, nonce } = deriveKey(shared, encrypted.ephemeralPublicKey, recipientText, binding);
    const body = encrypted.ciphertext.subarray(0, encrypted.ciphertext.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(bindingBytes(binding));
    decipher.setAuthTag(encrypted.ciphertext.subarray(encrypted.ciphertext.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (error: unknown) {
    throw new MessagingError(
      'DECRYPTION_FAILED',
      `message ${binding.messageId}: payload cannot be decrypted with this recipient's key`,
      { messageId: binding.messageId },
      { cause: error },
    );
  }
}

/** Converts an X25519 public key given as base64url raw bytes (or a KeyObject) to a KeyObject. */
export function toPublicKey(publicKey: KeyObject | string): KeyObject {
  if (typeof publicKey !== 'string') {
    return publicKey;
  }
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: publicKey }, format: 'jwk' });
}

function deriveKey(
  shared: Buffer,
  ephemeralText: string,
  recipientText: string,
  binding: EncryptionBinding,
): { key: Buffer; nonce: Buffer } {
  const salt = Buffer.concat([
    Buffer.from(ephemeralText, 'base64url'),
    Buffer.from(recipientText, 'base64url'),
  ]);
  const info = Buffer.concat([
    Buffer.from(PAYLOAD_ENCRYPTION_LABEL),
    Buffer.from([0]),
    bindingBytes(binding),
  ]);
  const okm = Buffer.from(hkdfSync('sha256', shared, salt, info, KEY_BYTES + NONCE_BYTES));
  return { key: okm.subarray(0, KEY_BYTES), nonce: okm.subarray(KEY_BYTES) };
}

function bindingBytes(binding: EncryptionBinding): Buffer {
  return Buffer.from(
    [binding.senderThumbprint, binding.recipientThumbprint, binding.messageId].join('\n'),
  );
}
