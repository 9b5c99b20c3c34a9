import { createHmac } from 'node:crypto';

/**
 * Keyed hash for personal data (PIPL): the same input gives the same pseudonym under one key,
 * so records can be linked without the raw value ever being stored.
 */
export function pseudonymise(key: string, value: string, purpose: string): string {
  return createHmac('sha256', key).update(purpose).update('\0').update(value.trim()).digest('base64url').slice(0, 32);
}
