import { FilterQuery } from '@mikro-orm/core';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { OPEN_STATUSES } from '../work-orders/work-order-states';

/** Open and past a deadline: not accepted by its accept deadline, or not resolved by its resolve deadline. */
export function overdueWhere(now: Date): FilterQuery<WorkOrder> {
  return {
    status: { $in: [...OPEN_STATUSES] },
    $or: [{ acceptedAt: null, acceptDueAt: { $lt: now } }, { resolveDueAt: { $lt: now } }],
  };
}

export function isOverdue(order: Pick<WorkOrder, 'status' | 'acceptedAt' | 'acceptDueAt' | 'resolveDueAt'>, now: Date): boolean {
  if (!OPEN_STATUSES.includes(order.status)) return false;
  if (!order.acceptedAt && order.acceptDueAt && order.acceptDueAt < now) return true;
  return Boolean(order.resolveDueAt && order.resolveDueAt < now);
}
