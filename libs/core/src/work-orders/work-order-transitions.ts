import { DomainError } from '../shared/domain-error';
import { OPEN_STATUSES, WorkOrderStatus } from './work-order-states';

/**
 * The state machine of DESIGN.md section 5: reported → dispatched → accepted → in_progress ⇄
 * on_hold → resolved → verified | closed(reason); reopen goes back to dispatched. A refused
 * transition says from where to where and why.
 */
export type WorkOrderAction = 'dispatch' | 'accept' | 'start' | 'hold' | 'resume' | 'resolve' | 'verify' | 'close' | 'reopen' | 'assign' | 'progress';

interface Rule {
  from: readonly WorkOrderStatus[];
  /** Absent: the status does not change (assign, progress). */
  to?: WorkOrderStatus;
}

export const TRANSITIONS: Record<WorkOrderAction, Rule> = {
  dispatch: { from: ['reported'], to: 'dispatched' },
  accept: { from: ['dispatched'], to: 'accepted' },
  start: { from: ['accepted'], to: 'in_progress' },
  hold: { from: ['in_progress'], to: 'on_hold' },
  resume: { from: ['on_hold'], to: 'in_progress' },
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved' },
  verify: { from: ['resolved'], to: 'verified' },
  close: { from: [...OPEN_STATUSES, 'resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'verified', 'closed'], to: 'dispatched' },
  assign: { from: OPEN_STATUSES },
  progress: { from: [...OPEN_STATUSES, 'resolved'] },
};

/** Why `action` cannot happen in `status`, in the words a worker would use. */
function why(action: WorkOrderAction, status: WorkOrderStatus): string {
  if (status === 'closed') return action === 'close' ? 'it is already closed' : 'it is closed; reopen it first';
  if (status === 'verified') return action === 'verify' ? 'it is already verified' : 'it was verified and is closed; reopen it first';
  switch (action) {
    case 'accept':
      if (status === 'reported') return 'it was never dispatched to anyone; assign it first';
      return status === 'resolved' ? 'it is already resolved' : 'it is already accepted';
    case 'start':
      if (status === 'reported' || status === 'dispatched') return 'it was never accepted';
      if (status === 'on_hold') return 'it is on hold; resume it';
      return status === 'resolved' ? 'it is already resolved' : 'it is already in progress';
    case 'hold':
      if (status === 'reported' || status === 'dispatched') return 'it was never accepted';
      if (status === 'accepted') return 'work on it has not started';
      return status === 'resolved' ? 'it is already resolved' : 'it is already on hold';
    case 'resume':
      return 'it is not on hold';
    case 'resolve':
      if (status === 'reported' || status === 'dispatched') return 'it was never accepted';
      if (status === 'on_hold') return 'it is on hold; resume it first';
      return 'it is already resolved';
    case 'verify':
      return 'only a resolved order can be verified';
    case 'reopen':
      return 'it is still open';
    case 'dispatch':
      return 'it is already dispatched';
    default:
      return status === 'resolved' ? 'it is resolved; reopen it first' : `it is ${status}`;
  }
}

/** Throws the state error unless the action is allowed in the status; returns the next status. */
export function transition(action: WorkOrderAction, order: { number: string; status: WorkOrderStatus }): WorkOrderStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(order.status)) {
    const allowed = `${action} is allowed from ${rule.from.join(', ')}${rule.to ? ` and leads to ${rule.to}` : ''}`;
    throw new DomainError('state', `cannot ${action} work order ${order.number} in status ${order.status}: ${why(action, order.status)}`, [
      { field: 'status', message: allowed },
    ]);
  }
  return rule.to ?? order.status;
}
