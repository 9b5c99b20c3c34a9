import { AlertSeverity } from '../devices/device-type';
import { ESCALATION_LEVELS, EscalationLevel } from './work-order-states';

/** Deadlines of one order's SLA at the community level; escalated levels scale them (see `atLevel`). */
export interface SlaTerms {
  acceptSeconds: number;
  resolveSeconds: number;
  /** Between reminders until acceptance. */
  remindSeconds: number;
  /** Each level step multiplies the deadlines by this (1: the same deadline again at every level). */
  levelFactor: number;
  /** Where the terms come from: "default" or the id of the SlaPolicy override. */
  source: string;
}

/** The category of one-window desk requests; its SLA depends on whether the documents are complete. */
export const DESK_CATEGORY = 'desk';

/** Desk requests are keyed by their documents instead of a severity ("资料齐全8分钟办结"). */
export const DESK_SLA_KEYS = ['complete', 'incomplete'] as const;
export type DeskSlaKey = (typeof DESK_SLA_KEYS)[number];

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** DESIGN.md section 5: critical 5 min / 2 h, major 30 min / 24 h, minor 4 h / 72 h; warning as minor. */
export const DEFAULT_SLA_BY_SEVERITY: Record<AlertSeverity, { acceptSeconds: number; resolveSeconds: number }> = {
  critical: { acceptSeconds: 5 * MINUTE, resolveSeconds: 2 * HOUR },
  major: { acceptSeconds: 30 * MINUTE, resolveSeconds: 24 * HOUR },
  minor: { acceptSeconds: 4 * HOUR, resolveSeconds: 72 * HOUR },
  warning: { acceptSeconds: 4 * HOUR, resolveSeconds: 72 * HOUR },
};

/** The desk worker takes the request at once (accept 0); complete documents are done in 8 minutes. */
export const DEFAULT_DESK_SLA: Record<DeskSlaKey, { acceptSeconds: number; resolveSeconds: number }> = {
  complete: { acceptSeconds: 0, resolveSeconds: 8 * MINUTE },
  incomplete: { acceptSeconds: 0, resolveSeconds: 72 * HOUR },
};

/** Without an explicit interval, remind at half the accept deadline (at least every second). */
export function defaultRemindSeconds(acceptSeconds: number): number {
  return Math.max(1, Math.round(acceptSeconds / 2));
}

/** The keys an SlaPolicy override may have for an order, most specific first. */
export function slaKeysOf(category: string, severity: AlertSeverity, documentsComplete?: boolean | null): string[] {
  if (category === DESK_CATEGORY) return [documentsComplete ? 'complete' : 'incomplete', '*'];
  return [severity, '*'];
}

export function defaultTerms(category: string, severity: AlertSeverity, documentsComplete?: boolean | null): SlaTerms {
  const base = category === DESK_CATEGORY ? DEFAULT_DESK_SLA[documentsComplete ? 'complete' : 'incomplete'] : DEFAULT_SLA_BY_SEVERITY[severity];
  return { ...base, remindSeconds: defaultRemindSeconds(base.acceptSeconds), levelFactor: 1, source: 'default' };
}

/** Steps above the community: community 0, street 1, district 2, city 3. */
export function levelStep(level: EscalationLevel): number {
  return ESCALATION_LEVELS.indexOf(level);
}

/** The terms at a level: deadlines × levelFactor^step, whole seconds, at least one. */
export function atLevel(terms: SlaTerms, level: EscalationLevel): { acceptSeconds: number; resolveSeconds: number; remindSeconds: number } {
  const factor = Math.pow(terms.levelFactor, levelStep(level));
  const scale = (seconds: number) => Math.max(1, Math.round(seconds * factor));
  return { acceptSeconds: scale(terms.acceptSeconds), resolveSeconds: scale(terms.resolveSeconds), remindSeconds: scale(terms.remindSeconds) };
}

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}
