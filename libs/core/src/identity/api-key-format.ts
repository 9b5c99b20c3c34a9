import { randomBytes } from 'node:crypto';

/**
 * `sck_<keyId>.<secret>`: the key id finds the row without scanning hashes; the SHA-256 of the
 * whole key is what is stored. Creation and verification both use this one pattern.
 */
export const API_KEY_PATTERN = /^sck_([A-Za-z0-9]{8,32})\.([A-Za-z0-9_-]{20,})$/;

/** A new key: 16 hex characters of id (alphanumeric, 64 bits) and 256 random bits of secret. */
export function newApiKey(): { keyId: string; key: string } {
  const keyId = randomBytes(8).toString('hex');
  return { keyId, key: `sck_${keyId}.${randomBytes(32).toString('base64url')}` };
}
