import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) for short secrets that must pass through storage we do not want
 * to trust with them, such as a job payload in Redis that the queue dashboard shows. A sealed text is one
 * string, `v1.<base64url(iv ‖ tag ‖ ciphertext)>`; opening it with another key, another associated value,
 * or after any change to it fails with {@link SealedTextError}.
 */

const VERSION = 'v1';
/** 96-bit nonces, as GCM recommends; random per seal (a key seals far fewer than 2^32 texts). */
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** AES-256 keys are 32 bytes. */
export const SEALING_KEY_BYTES = 32;

/** A sealed text could not be opened: wrong key, wrong associated value, or changed since it was sealed. */
export class SealedTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedTextError';
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== SEALING_KEY_BYTES) throw new RangeError(`a sealing key is ${SEALING_KEY_BYTES} bytes`);
}

/**
 * Encrypts `plaintext` under `key`. `associatedData` is not encrypted but bound to the result: the text
 * opens only with the same value (e.g. the phone number an SMS goes to, so a sealed code cannot be
 * redirected to another number).
 */
export function sealText(key: Buffer, plaintext: string, associatedData = ''): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

/** Decrypts a text made by {@link sealText}; throws {@link SealedTextError} unless it is intact and ours. */
export function openSealedText(key: Buffer, sealed: string, associatedData = ''): string {
  assertKey(key);
  const [version, body, ...rest] = sealed.split('.');
  if (version !== VERSION || body === undefined || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(body)) {
    throw new SealedTextError('not a sealed text');
  }
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedTextError('sealed text is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedTextError('sealed text does not open: wrong key, or changed since it was sealed');
  }
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 / base64url (43 or 44 characters); undefined
 * when the value is neither.
 */
export function parseSealingKey(value: string): Buffer | undefined {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, ''), 'base64url');
    if (key.length === SEALING_KEY_BYTES) return key;
  }
  return undefined;
}
