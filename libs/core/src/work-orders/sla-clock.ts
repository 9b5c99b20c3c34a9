import { addJob, JobIntent, JOBS, removeJob } from '@sc/messaging';
import { idsOfPath } from '../org/org-access';
import { WorkOrder } from './entities/work-order.entity';
import { addSeconds, atLevel, SlaTerms } from './sla-terms';
import { ESCALATION_LEVELS, EscalationLevel, OPEN_STATUSES, WorkOrderStatus } from './work-order-states';

/**
 * The SLA timers of an order as outbox intents: an escalation per deadline of the current level
 * and reminders until acceptance. Job ids are deterministic (libs/messaging jobIds) from the
 * order, its level token and the deadline or reminder number, so arming twice is one job and
 * every timer can be removed by recomputing its id.
 */

/** What an order's timers are computed from. */
export type TimedOrder = Pick<WorkOrder, 'id' | 'status' | 'level' | 'reopenCount' | 'reminders' | 'acceptDueAt' | 'resolveDueAt'>;

/** Not accepted yet: the accept deadline and the reminders run. */
export const AWAITING_ACCEPTANCE: readonly WorkOrderStatus[] = ['reported', 'dispatched'];

/** Open and past a deadline: not accepted by the accept deadline, or not resolved by the resolve deadline. */
export function isOverdue(order: Pick<WorkOrder, 'status' | 'acceptDueAt' | 'resolveDueAt'>, now: Date): boolean {
  if (!OPEN_STATUSES.includes(order.status)) return false;
  const acceptLate = AWAITING_ACCEPTANCE.includes(order.status) && !!order.acceptDueAt && order.acceptDueAt < now;
  return acceptLate || (!!order.resolveDueAt && order.resolveDueAt < now);
}

/**
 * The level as timers, reminders and escalation notices name it. A reopened order climbs the
 * ladder again, so its generation is part of it ("community.r1"): the new timers get new ids and
 * the new notices are not taken for the old ones.
 */
export function levelToken(order: Pick<WorkOrder, 'level' | 'reopenCount'>): string {
  return order.reopenCount > 0 ? `${order.level}.r${order.reopenCount}` : order.level;
}

export function nextLevel(level: EscalationLevel): EscalationLevel | undefined {
  return ESCALATION_LEVELS[ESCALATION_LEVELS.indexOf(level) + 1];
}

/** The unit of a level above a community: its ancestor on the community's path (city, district, street, community). */
export function levelUnitId(communityPath: string, level: EscalationLevel): string {
  const ids = idsOfPath(communityPath);
  const depth = { city: 1, district: 2, street: 3, community: 4 }[level];
  return ids[Math.min(depth, ids.length) - 1];
}

export function acceptTimer(order: TimedOrder): JobIntent | undefined {
  if (!order.acceptDueAt) return undefined;
  return addJob(JOBS.escalate, { workOrderId: order.id, level: levelToken(order), deadline: 'accept' }, order.acceptDueAt);
}

export function resolveTimer(order: TimedOrder): JobIntent | undefined {
  if (!order.resolveDueAt) return undefined;
  return addJob(JOBS.escalate, { workOrderId: order.id, level: levelToken(order), deadline: 'resolve' }, order.resolveDueAt);
}

/** The next reminder: number reminders + 1, so the pending one can always be named. */
export function reminderTimer(order: TimedOrder, terms: SlaTerms, now: Date): JobIntent {
  const { remindSeconds } = atLevel(terms, order.level);
  return addJob(JOBS.remind, { workOrderId: order.id, level: levelToken(order), n: order.reminders + 1 }, addSeconds(now, remindSeconds));
}

/**
 * Timers of an order that has just got its deadlines (opened, dispatched again, escalated).
 * While an order awaits acceptance its resolve timer waits too, when the accept deadline comes
 * first: that timer moves the order up a level (and the level's timers with it) before the
 * resolve deadline could, so the resolve timer is armed at acceptance instead (armOnAcceptance).
 * One delayed job fewer per routed alert, with the same escalations.
 */
export function armTimers(order: TimedOrder, terms: SlaTerms, now: Date): JobIntent[] {
  const intents: JobIntent[] = [];
  const awaiting = AWAITING_ACCEPTANCE.includes(order.status);
  if (awaiting) {
    const accept = acceptTimer(order);
    if (accept) intents.push(accept);
    if (order.status === 'dispatched') intents.push(reminderTimer(order, terms, now));
  }
  if (!awaiting || resolvesFirst(order)) {
    const resolve = resolveTimer(order);
    if (resolve) intents.push(resolve);
  }
  return intents;
}

/** The resolve deadline is due no later than the accept deadline (or there is no accept deadline). */
function resolvesFirst(order: Pick<WorkOrder, 'acceptDueAt' | 'resolveDueAt'>): boolean {
  return !order.acceptDueAt || (!!order.resolveDueAt && order.resolveDueAt <= order.acceptDueAt);
}

/**
 * Accepted: the accept deadline and the pending reminder are void, and the resolve deadline's
 * timer is armed (a no-op when armTimers armed it already: same job id).
 */
export function armOnAcceptance(order: WorkOrder): JobIntent[] {
  const resolve = resolveTimer(order);
  return resolve ? [...disarmAcceptance(order), resolve] : disarmAcceptance(order);
}

/** The accept deadline and the pending reminder, void. */
function disarmAcceptance(order: WorkOrder): JobIntent[] {
  const level = levelToken(order);
  return [
    removeJob(JOBS.escalate, { workOrderId: order.id, level, deadline: 'accept' }),
    removeJob(JOBS.remind, { workOrderId: order.id, level, n: order.reminders + 1 }),
  ];
}

/** Resolved or closed: the resolve deadline is void (and the accept one, if it never was accepted). */
export function disarmAll(order: WorkOrder): JobIntent[] {
  const intents: JobIntent[] = [removeJob(JOBS.escalate, { workOrderId: order.id, level: levelToken(order), deadline: 'resolve' })];
  if (AWAITING_ACCEPTANCE.includes(order.status)) intents.push(...disarmAcceptance(order));
  return intents;
}
