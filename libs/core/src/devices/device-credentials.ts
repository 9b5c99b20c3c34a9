import { generateSecret, hashToken } from '../shared/secret-hash';

/** Device MQTT passwords: `scd_` + 256 random bits; only the SHA-256 is stored. */
export const DEVICE_SECRET_PREFIX = 'scd';

export interface IssuedCredential {
  /** Shown once, in the response that created it. */
  secret: string;
  hash: string;
}

export function issueDeviceCredential(): IssuedCredential {
  const secret = generateSecret(DEVICE_SECRET_PREFIX);
  return { secret, hash: hashToken(secret) };
}
