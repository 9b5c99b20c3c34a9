import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Alert } from '../alerts/entities/alert.entity';
import { DeliveryEvent } from '../delivery/entities/delivery.entity';
import { Notifier, Recipient } from '../delivery/notifier';
import { WorkOrder } from './entities/work-order.entity';

/** Relations a notice shows; loaded once before building it. */
export const NOTICE_POPULATE = ['community', 'compound', 'device', 'assignedGridWorker', 'assignedCompany'] as const;

/** What the audit entry of a change records about the notices it sent. */
export interface NoticeOutcome {
  event: DeliveryEvent;
  deliveries: number;
  /** Recipients with no enabled delivery target: nobody was told through them. */
  unreachable: Recipient[];
}

export interface NoticeExtra {
  /** Escalations: the level reached. */
  level?: string;
  /** Reminders: their number. */
  reminder?: number;
}

/** The order as a notice shows it; also the pull feed's item. No personal data (no resident contact). */
export function workOrderSummary(order: WorkOrder): Record<string, unknown> {
  return {
    id: order.id,
    number: order.number,
    title: order.title,
    severity: order.severity,
    category: order.category,
    type: order.type,
    status: order.status,
    level: order.level,
    source: order.source,
    community: { id: order.community.id, code: order.community.code, name: order.community.name },
    compound: order.compound ? { id: order.compound.id, name: order.compound.name } : null,
    device: order.device ? { id: order.device.id, code: order.device.code, type: order.device.type, location: order.device.location ?? null } : null,
    assignedTo: {
      ...(order.assignedGridWorker ? { gridWorker: { id: order.assignedGridWorker.id, code: order.assignedGridWorker.code, name: order.assignedGridWorker.name } } : {}),
      ...(order.assignedCompany ? { company: { id: order.assignedCompany.id, code: order.assignedCompany.code, name: order.assignedCompany.name } } : {}),
      desk: order.assignedDesk,
    },
    reportedAt: order.reportedAt.toISOString(),
    acceptDueAt: order.acceptDueAt?.toISOString() ?? null,
    resolveDueAt: order.resolveDueAt?.toISOString() ?? null,
  };
}

/** Whoever the order is routed to, and the person working on it. */
export function routedRecipients(order: WorkOrder): Recipient[] {
  const recipients: Recipient[] = [];
  if (order.assignedGridWorker) recipients.push({ kind: 'grid_worker', id: order.assignedGridWorker.id });
  if (order.assignedCompany) recipients.push({ kind: 'company', id: order.assignedCompany.id });
  if (order.assignedDesk) recipients.push({ kind: 'unit', id: order.community.id });
  if (order.assignee) recipients.push({ kind: 'account', id: order.assignee.id });
  return recipients;
}

/**
 * Work-order notifications: one payload shape for every event (it is what webhooks carry and
 * the alerts benchmark matches on alert.sourceMsgId), decided inside the caller's transaction.
 */
@Injectable()
export class WorkOrderNotices {
  constructor(private readonly notifier: Notifier) {}

  async payload(em: EntityManager, order: WorkOrder, event: DeliveryEvent, extra: NoticeExtra = {}): Promise<Record<string, unknown>> {
    await em.populate(order, NOTICE_POPULATE);
    const alert = order.alertId ? await em.findOne(Alert, { id: order.alertId }) : null;
    return {
      event,
      workOrder: workOrderSummary(order),
      alert: alert
        ? { id: alert.id, type: alert.alertType, sourceMsgId: alert.sourceMsgId ?? null, raisedAt: alert.raisedAt.toISOString(), count: alert.count }
        : null,
      ...(extra.level !== undefined ? { level: extra.level } : {}),
      ...(extra.reminder !== undefined ? { reminder: extra.reminder } : {}),
    };
  }

  async send(
    em: EntityManager,
    order: WorkOrder,
    event: DeliveryEvent,
    recipients: readonly Recipient[],
    options: { discriminator?: string; extra?: NoticeExtra } = {},
  ): Promise<NoticeOutcome> {
    if (recipients.length === 0) return { event, deliveries: 0, unreachable: [] };
    const payload = await this.payload(em, order, event, options.extra);
    const result = await this.notifier.notify(em, {
      subjectType: 'work_order',
      subjectId: order.id,
      event,
      discriminator: options.discriminator,
      payload,
      recipients,
    });
    return { event, deliveries: result.deliveryIds.length, unreachable: result.unreachable };
  }
}
