import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { LockMode } from '@mikro-orm/core';
import { JOBS, removeJob } from '@sc/messaging';
import type { EscalateJob, RemindJob } from '@sc/messaging';
import { AuditLog } from '../audit/audit-log';
import { SYSTEM_ACTOR } from '../audit/actor';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { Recipient } from '../delivery/notifier';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { Outbox } from '../outbox/outbox';
import { WorkOrder } from './entities/work-order.entity';
import { armTimers, AWAITING_ACCEPTANCE, levelToken, levelUnitId, nextLevel, reminderTimer } from './sla-clock';
import { SlaPolicies } from './sla-policies.service';
import { addSeconds, atLevel } from './sla-terms';
import { OrderHistory } from './work-order-history';
import { routedRecipients, WorkOrderNotices } from './work-order-notices';
import { ESCALATION_LEVEL_LABELS, OPEN_STATUSES } from './work-order-states';

/**
 * The SLA timers' use cases (the worker's work-order.escalate and work-order.remind jobs). Each
 * runs in its own fork and transaction with the order row locked, so a timer racing an
 * acceptance sees the acceptance or is seen by it.
 */
@Injectable()
export class SlaTimers {
  private readonly logger = new Logger(SlaTimers.name);

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly sla: SlaPolicies,
    private readonly notices: WorkOrderNotices,
  ) {}

  /**
   * Idempotent: a timer for a level the order left, or a deadline it met, is a no-op. Otherwise
   * the order climbs one level (community → street → district → city) with that level's
   * deadlines, the level's officers and the current assignees are told, and the new level's
   * timers are armed. At the city there is no higher level: the breach is recorded and the city
   * told again.
   */
  async escalate(job: EscalateJob): Promise<void> {
    const changed = await this.em.fork().transactional(async (em) => {
      const order = await em.findOne(WorkOrder, { id: job.workOrderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!order || levelToken(order) !== job.level) return false;
      const unmet = job.deadline === 'accept' ? AWAITING_ACCEPTANCE.includes(order.status) : OPEN_STATUSES.includes(order.status);
      if (!unmet) return false;
      const dueAt = job.deadline === 'accept' ? order.acceptDueAt : order.resolveDueAt;
      const now = new Date();
      const from = order.level;
      const to = nextLevel(from);
      const history = new OrderHistory(this.audit, em);
      const passed = `${job.deadline} deadline ${dueAt?.toISOString() ?? '(none)'} passed at ${from}`;
      order.slaBreached = true;

      if (!to) {
        // The top of the ladder: record the breach once per deadline, and tell the city again.
        const discriminator = `${job.level}.${job.deadline}.breached`;
        if (await this.alreadyBreached(em, order.id, discriminator)) return false;
        const notified = await this.notices.send(em, order, 'escalated', [{ kind: 'unit', id: order.levelUnit.id }, ...routedRecipients(order)], {
          discriminator,
          extra: { level: from },
        });
        history.add(order, { action: 'breached', actor: SYSTEM_ACTOR, text: `${passed}; no level above the city`, details: { level: from, deadline: job.deadline, dueAt: dueAt?.toISOString() ?? null, discriminator, notified } });
        await em.flush();
        this.logger.warn({ workOrderId: order.id, level: from, deadline: job.deadline }, 'work order breached its deadline at the city');
        return true;
      }

      const unit = await em.findOneOrFail(OrgUnit, { id: levelUnitId(order.communityPath, to) });
      const terms = await this.sla.termsFor(em, order.category, order.severity, order.documentsComplete);
      const deadlines = atLevel(terms, to);
      const leaving = levelToken(order);
      order.level = to;
      order.levelUnit = unit;
      order.escalations += 1;
      if (job.deadline === 'accept') order.acceptDueAt = addSeconds(now, deadlines.acceptSeconds);
      order.resolveDueAt = addSeconds(now, deadlines.resolveSeconds);
      const reached = levelToken(order);
      const recipients: Recipient[] = [{ kind: 'unit', id: unit.id }, ...routedRecipients(order)];
      const notified = await this.notices.send(em, order, 'escalated', recipients, { discriminator: `${reached}.${job.deadline}`, extra: { level: to } });
      history.add(order, {
        action: 'escalated',
        actor: SYSTEM_ACTOR,
        from: order.status,
        to: order.status,
        text: `${passed} → escalated to ${to} (${unit.name}, ${ESCALATION_LEVEL_LABELS[to].zh})`,
        details: {
          fromLevel: from,
          toLevel: to,
          levelUnit: { id: unit.id, code: unit.code, name: unit.name },
          deadline: job.deadline,
          dueAt: dueAt?.toISOString() ?? null,
          leaving,
          acceptDueAt: order.acceptDueAt?.toISOString() ?? null,
          resolveDueAt: order.resolveDueAt?.toISOString() ?? null,
          notified,
        },
      });
      // The old level's other timers would be no-ops; removing them keeps the queue clean.
      const stale = [
        removeJob(JOBS.escalate, { workOrderId: order.id, level: leaving, deadline: job.deadline === 'accept' ? 'resolve' : 'accept' }),
        removeJob(JOBS.remind, { workOrderId: order.id, level: leaving, n: order.reminders + 1 }),
      ];
      await this.outbox.enqueue(em, [...stale, ...armTimers(order, terms, now)]);
      await em.flush();
      this.logger.log({ workOrderId: order.id, from, to, deadline: job.deadline, deliveries: notified.deliveries }, 'work order escalated');
      return true;
    });
    if (changed) this.outbox.committed();
  }

  /** Idempotent: no reminder once the order is accepted, left the level, or this reminder was sent. */
  async remind(job: RemindJob): Promise<void> {
    const changed = await this.em.fork().transactional(async (em) => {
      const order = await em.findOne(WorkOrder, { id: job.workOrderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!order || levelToken(order) !== job.level || !AWAITING_ACCEPTANCE.includes(order.status)) return false;
      if (job.n !== order.reminders + 1) return false;
      const now = new Date();
      const notified = await this.notices.send(em, order, 'reminder', routedRecipients(order), {
        discriminator: `${job.level}.${job.n}`,
        extra: { reminder: job.n, level: order.level },
      });
      order.reminders = job.n;
      new OrderHistory(this.audit, em).add(order, {
        action: 'reminded',
        actor: SYSTEM_ACTOR,
        text: `reminder ${job.n}: not accepted yet at ${order.level}`,
        details: { n: job.n, level: order.level, notified },
      });
      const terms = await this.sla.termsFor(em, order.category, order.severity, order.documentsComplete);
      await this.outbox.enqueue(em, [reminderTimer(order, terms, now)]);
      await em.flush();
      return true;
    });
    if (changed) this.outbox.committed();
  }

  private async alreadyBreached(em: EntityManager, orderId: string, discriminator: string): Promise<boolean> {
    const entries = await em.find(AuditEntry, { subjectType: 'work_order', subjectId: orderId, action: 'breached' }, { fields: ['details'] });
    return entries.some((e) => e.details?.discriminator === discriminator);
  }
}
