import { DomainError } from '../shared/domain-error';
import { getDeviceType } from './device-types.catalogue';

/**
 * Field rules of a device, shared by the single and the bulk path (the API DTOs mirror them, but
 * import rows arrive as free text and reach the domain unvalidated).
 */

/** The MQTT client id and username: what brokers and device firmware accept without escaping. */
export const DEVICE_CODE_PATTERN = /^[A-Za-z0-9_.-]{3,64}$/;

export const DEVICE_TEXT_LIMITS = {
  name: 200,
  location: 300,
  vendor: 100,
  model: 100,
  serialNumber: 100,
} as const;

export type DeviceTextField = keyof typeof DEVICE_TEXT_LIMITS;
/** Free-text fields as input: undefined keeps a value, null or empty clears it. */
export type DeviceText = Partial<Record<DeviceTextField, string | null>>;
export const DEVICE_TEXT_FIELDS = Object.keys(DEVICE_TEXT_LIMITS) as DeviceTextField[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PostgreSQL rejects a malformed uuid with an error, so ids are checked before they reach a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function isDeviceCode(value: string): boolean {
  return DEVICE_CODE_PATTERN.test(value);
}

export function checkDeviceCode(value: string, field = 'code'): string {
  if (!isDeviceCode(value)) {
    throw DomainError.validation(`${field} must be 3-64 characters of A-Z, a-z, 0-9, '_', '.' or '-'`, field);
  }
  return value;
}

export function checkDeviceType(value: string, field = 'type'): string {
  if (!getDeviceType(value)) throw DomainError.validation(`unknown device type ${value}; see GET /device-types`, field);
  return value;
}

/** Trims free text; empty means "not set" (undefined on create, cleared on update). */
export function checkText(value: string | null | undefined, field: DeviceTextField): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = value.trim();
  if (text.length === 0) return null;
  if (text.length > DEVICE_TEXT_LIMITS[field]) {
    throw DomainError.validation(`${field} must be at most ${DEVICE_TEXT_LIMITS[field]} characters`, field);
  }
  return text;
}

/** Only the text fields the input names: undefined keeps a value, null or empty clears it. */
export function textColumns(input: DeviceText): Partial<Record<DeviceTextField, string | undefined>> {
  const out: Partial<Record<DeviceTextField, string | undefined>> = {};
  for (const field of DEVICE_TEXT_FIELDS) {
    const value = checkText(input[field], field);
    if (value !== undefined) out[field] = value ?? undefined;
  }
  return out;
}
