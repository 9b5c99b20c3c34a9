import { EntityManager } from '@mikro-orm/knex';
import { AuditLog, AuditRecord } from '../audit/audit-log';
import { Actor } from '../audit/actor';
import { WorkOrder } from './entities/work-order.entity';

export interface HistoryEntry {
  action: string;
  actor: Actor;
  from?: string;
  to?: string;
  text?: string;
  details?: Record<string, unknown>;
}

/**
 * Writes a work order's history (its audit entries) inside the change's transaction. Entries
 * of one change get strictly increasing times, so the history reads in the order things
 * happened even when several are written within one millisecond.
 */
export class OrderHistory {
  private last = 0;

  constructor(
    private readonly audit: AuditLog,
    private readonly em: EntityManager,
  ) {}

  add(order: Pick<WorkOrder, 'id'>, entry: HistoryEntry): void {
    this.audit.record(this.em, this.entry(order, entry));
  }

  /** The audit record of an entry without persisting it, for a caller that inserts many at once (AuditLog.insert). */
  entry(order: Pick<WorkOrder, 'id'>, entry: HistoryEntry): AuditRecord {
    const at = Math.max(Date.now(), this.last + 1);
    this.last = at;
    return {
      subjectType: 'work_order',
      subjectId: order.id,
      action: entry.action,
      actor: entry.actor,
      fromState: entry.from,
      toState: entry.to,
      text: entry.text,
      details: entry.details,
      at: new Date(at),
    };
  }
}
