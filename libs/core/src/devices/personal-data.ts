import { pseudonymise } from '../shared/pseudonym';
import { DeviceTypeSpec } from './device-type';

/**
 * Personal data in device events (PIPL). Access controllers report who opened a door
 * (`data.subject`: a card number or face id); other firmware sends the same under other names
 * (`cardNo`, `faceId`, a plate number, a phone). Identifiers are replaced by a keyed hash on
 * arrival, so the same person still links across records; names, pictures and biometric
 * templates are dropped, as nothing downstream needs them. Neither raw form is stored or logged.
 */

/** Purpose of the keyed hash for access-control subjects (card numbers, face ids). */
export const ACCESS_SUBJECT_PURPOSE = 'access-subject';

/**
 * Identifying keys and the purpose their pseudonyms are made under. Keys are compared
 * case-insensitively without `_` and `-`, so `card_no`, `cardNo` and `CardNo` are one key.
 * The purpose separates kinds: a card number and a phone number never yield the same pseudonym.
 */
const PSEUDONYMISED_KEYS: ReadonlyMap<string, string> = new Map([
  ...['subject', 'card', 'cardno', 'cardnumber', 'cardid', 'faceid', 'personid', 'userid', 'residentid', 'visitorid'].map(
    (k) => [k, ACCESS_SUBJECT_PURPOSE] as const,
  ),
  ...['phone', 'phoneno', 'phonenumber', 'mobile', 'tel'].map((k) => [k, 'phone'] as const),
  ...['idnumber', 'idno', 'idcard', 'idcardno', 'idcardnumber'].map((k) => [k, 'id-number'] as const),
  ...['plate', 'plateno', 'platenumber', 'licenseplate', 'licenceplate'].map((k) => [k, 'vehicle-plate'] as const),
]);

/** Keys whose values are removed outright: no use in a record, and sensitive (PIPL art. 28 for biometrics). */
const DROPPED_KEYS: ReadonlySet<string> = new Set([
  'name',
  'personname',
  'realname',
  'username',
  'address',
  'photo',
  'picture',
  'image',
  'imageurl',
  'snapshot',
  'snapshoturl',
  'faceimage',
  'faceurl',
  'facefeature',
  'facetemplate',
  'fingerprint',
  'idphoto',
]);

/** Deeper than any real event's data; beyond it a subtree is dropped rather than walked. */
const MAX_DEPTH = 8;

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

export function isPersonalKey(key: string): boolean {
  const k = normaliseKey(key);
  return PSEUDONYMISED_KEYS.has(k) || DROPPED_KEYS.has(k);
}

/** Does this device type send events that carry a person's identifier (access control)? */
export function containsPersonalData(deviceType: DeviceTypeSpec): boolean {
  return deviceType.events.some((e) => e.personalSubject === true);
}

function pseudonymOf(pseudonymKey: string, value: unknown, purpose: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return text.trim() === '' ? undefined : pseudonymise(pseudonymKey, text, purpose);
}

function walk(value: unknown, pseudonymKey: string, depth: number): unknown {
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? [] : value.map((item) => walk(item, pseudonymKey, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return {};
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const k = normaliseKey(key);
    if (DROPPED_KEYS.has(k)) continue;
    const purpose = PSEUDONYMISED_KEYS.get(k);
    if (purpose) {
      const pseudonym = pseudonymOf(pseudonymKey, inner, purpose);
      if (pseudonym !== undefined) out[key] = pseudonym;
      continue;
    }
    out[key] = walk(inner, pseudonymKey, depth + 1);
  }
  return out;
}

/**
 * A copy of event data with every identifier pseudonymised and every name or picture removed,
 * at any depth. `data.subject` becomes `pseudonymise(key, subject, 'access-subject')`.
 */
export function pseudonymiseEventData(data: Record<string, unknown>, pseudonymKey: string): Record<string, unknown> {
  return walk(data, pseudonymKey, 0) as Record<string, unknown>;
}

/** A JSON member `"key": value` in possibly truncated text; the value may be cut short too. */
const JSON_MEMBER = /"((?:[^"\\]|\\.){1,64})"\s*:\s*("(?:[^"\\]|\\.)*"?|-?[\d.eE+-]+|true|false|null|[[{])/g;
const REDACTED = '"[redacted]"';

/**
 * Masks personal values in raw payload text (a quarantine excerpt of a message that failed
 * before it was parsed or pseudonymised). A personal key whose value is an object or array
 * cuts the text there. Best effort on arbitrary bytes: for device types that carry personal
 * data (`containsPersonalData`) store no excerpt at all.
 */
export function scrubPersonalText(text: string): string {
  let cutAt = text.length;
  for (const member of text.matchAll(JSON_MEMBER)) {
    if (isPersonalKey(member[1]) && (member[2] === '{' || member[2] === '[')) {
      cutAt = member.index;
      break;
    }
  }
  const head = text.slice(0, cutAt).replace(JSON_MEMBER, (member: string, key: string) => (isPersonalKey(key) ? `"${key}": ${REDACTED}` : member));
  return cutAt < text.length ? `${head}${REDACTED}…` : head;
}
