import { ALERT_SEVERITIES } from '../alerts/alert-kinds';
import { AlertSeverity } from '../devices/device-type';
import { DomainError } from '../shared/domain-error';
import { isUuid } from '../org/org-errors';
import { WORK_ORDER_SOURCES, WorkOrderSource } from './work-order-states';

/** Checks on what opens or changes an order, shared by every entry point (HTTP, jobs, meetings). */

const CATEGORY = /^[a-z][a-z0-9_]{0,47}$/;
const TYPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertCategory(value: string, field = 'category'): string {
  const category = value.trim();
  if (!CATEGORY.test(category)) throw DomainError.validation(`${field} must be 1-48 lower-case letters, digits or '_', starting with a letter`, field);
  return category;
}

export function assertType(value: string, field = 'type'): string {
  const type = value.trim();
  if (!TYPE.test(type)) throw DomainError.validation(`${field} must be 1-64 letters, digits, '.', '-' or '_'`, field);
  return type;
}

export function assertSeverity(value: string, field = 'severity'): AlertSeverity {
  if (!(ALERT_SEVERITIES as readonly string[]).includes(value)) {
    throw DomainError.validation(`${field} must be one of ${ALERT_SEVERITIES.join(', ')}`, field);
  }
  return value as AlertSeverity;
}

export function assertSource(value: string): WorkOrderSource {
  if (!(WORK_ORDER_SOURCES as readonly string[]).includes(value)) {
    throw DomainError.validation(`source must be one of ${WORK_ORDER_SOURCES.join(', ')}`, 'source');
  }
  return value as WorkOrderSource;
}

export function assertText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) throw DomainError.validation(`${field} must be 1-${max} characters`, field);
  return text;
}

/** Titles are built from alert names and locations; a long one is cut rather than refused. */
export function fitTitle(value: string): string {
  const text = value.trim();
  if (text.length === 0) throw DomainError.validation('title must not be empty', 'title');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export function assertId(value: string, field: string): string {
  if (!isUuid(value)) throw DomainError.validation(`${field} must be a UUID`, field);
  return value;
}

export function assertPercent(value: number, field = 'percent'): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) throw DomainError.validation(`${field} must be a whole number from 0 to 100`, field);
  return value;
}

export const MAX_EVIDENCE_URLS = 20;

/** Photo evidence: http(s) links only, at most 20 per call. */
export function assertEvidenceUrls(urls: readonly string[]): string[] {
  if (urls.length === 0 || urls.length > MAX_EVIDENCE_URLS) {
    throw DomainError.validation(`give 1-${MAX_EVIDENCE_URLS} photo URLs`, 'urls');
  }
  return urls.map((raw, i) => {
    const field = `urls.${i}`;
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch (error: unknown) {
      throw new DomainError('validation', `${field} is not a URL`, [{ field, message: 'not a URL' }], { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw DomainError.validation(`${field} must be an http or https URL`, field);
    if (raw.length > 2000) throw DomainError.validation(`${field} is longer than 2000 characters`, field);
    return url.toString();
  });
}
