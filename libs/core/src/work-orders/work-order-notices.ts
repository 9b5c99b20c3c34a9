import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Alert } from '../alerts/entities/alert.entity';
import { DirectDeliveries } from '../delivery/direct-deliveries';
import { DeliveryEvent } from '../delivery/entities/delivery.entity';
import { Notifier, Recipient } from '../delivery/notifier';
import { loadedOrFind } from '../shared/loaded-or-find';
import { PlannedWrites } from '../shared/planned-writes';
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

/** One notification about one order. */
export interface Notice {
  order: WorkOrder;
  event: DeliveryEvent;
  recipients: readonly Recipient[];
  discriminator?: string;
  extra?: NoticeExtra;
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
    return (await this.payloads(em, [{ order, event, extra }]))[0];
  }

  async send(
    em: EntityManager,
    order: WorkOrder,
    event: DeliveryEvent,
    recipients: readonly Recipient[],
    options: { discriminator?: string; extra?: NoticeExtra } = {},
  ): Promise<NoticeOutcome> {
    return (await this.sendMany(em, [{ order, event, recipients, ...options }]))[0];
  }

  /**
   * send() for several orders (a batch of routed alerts): relations and alerts loaded once, one
   * notifier call. `newOrders`: created in this transaction; `direct`, `writes`: see Notifier.notifyMany.
   */
  async sendMany(
    em: EntityManager,
    notices: readonly Notice[],
    options: { newOrders?: boolean; direct?: DirectDeliveries; writes?: PlannedWrites } = {},
  ): Promise<NoticeOutcome[]> {
    const sending = notices.filter((n) => n.recipients.length > 0);
    const payloads = await this.payloads(em, sending);
    const results = await this.notifier.notifyMany(
      em,
      sending.map((n, i) => ({
        subjectType: 'work_order' as const,
        subjectId: n.order.id,
        event: n.event,
        discriminator: n.discriminator,
        payload: payloads[i],
        recipients: n.recipients,
      })),
      { newSubjects: options.newOrders, direct: options.direct, writes: options.writes },
    );
    const resultOf = new Map(sending.map((n, i) => [n, results[i]]));
    return notices.map((n) => {
      const result = resultOf.get(n);
      return { event: n.event, deliveries: result?.deliveryIds.length ?? 0, unreachable: result?.unreachable ?? [] };
    });
  }

  private async payloads(em: EntityManager, notices: readonly Pick<Notice, 'order' | 'event' | 'extra'>[]): Promise<Record<string, unknown>[]> {
    if (notices.length === 0) return [];
    const orders = [...new Set(notices.map((n) => n.order))];
    await em.populate(orders, NOTICE_POPULATE);
    // The routing batch has the alerts loaded already.
    const alerts = await loadedOrFind(em, Alert, orders.flatMap((o) => o.alertId ?? []), (ids) => em.find(Alert, { id: { $in: ids } }));
    return notices.map(({ order, event, extra = {} }) => {
      const alert = order.alertId ? alerts.get(order.alertId) : undefined;
      return {
        event,
        workOrder: workOrderSummary(order),
        alert: alert
          ? { id: alert.id, type: alert.alertType, sourceMsgId: alert.sourceMsgId ?? null, raisedAt: alert.raisedAt.toISOString(), count: alert.count }
          : null,
        ...(extra.level !== undefined ? { level: extra.level } : {}),
        ...(extra.reminder !== undefined ? { reminder: extra.reminder } : {}),
      };
    });
  }
}
