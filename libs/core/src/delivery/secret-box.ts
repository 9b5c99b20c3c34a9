import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME_SETTINGS, RuntimeSettings } from '@sc/config';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Signing secrets of delivery targets must be usable to sign, so they are encrypted, not
 * hashed: AES-256-GCM under a key derived (HKDF-SHA256) from the service's secret key, with a
 * purpose of its own so the pseudonymisation key is never used directly as a cipher key.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(RUNTIME_SETTINGS) settings: RuntimeSettings) {
    this.key = Buffer.from(hkdfSync('sha256', settings.pseudonymKey, 'smart-community', 'delivery-target-secret/v1', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws when the text was not sealed under this key (a changed PSEUDONYM_KEY). */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** A webhook signing secret: 256 random bits, prefixed so it is recognisable in a receiver's config. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
