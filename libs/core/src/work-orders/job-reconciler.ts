import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { addJob, JobIntent, jobIds, JOBS } from '@sc/messaging';
import { Alert } from '../alerts/entities/alert.entity';
import { Delivery } from '../delivery/entities/delivery.entity';
import { Outbox } from '../outbox/outbox';
import { forEachIdPage } from '../shared/paging';
import { WorkOrder } from './entities/work-order.entity';
import { OPEN_STATUSES } from './work-order-states';
import { armTimers } from './sla-clock';
import { SlaPolicies } from './sla-policies.service';

export interface ReconcileOptions {
  /** Also re-arm the SLA timers (deadlines and reminders) of every open order (after Redis lost its data). */
  timers: boolean;
  /** Only alerts and deliveries this old count as stuck (younger ones are on their way). */
  stuckBefore: Date;
  /** Alerts and deliveries per pass; open orders per page of timers. */
  limit?: number;
}

export interface ReconcileResult {
  alerts: number;
  deliveries: number;
  timers: number;
}

/**
 * The database is the source of truth; Redis only carries jobs. The outbox covers Redis being
 * down when a change commits; this covers Redis losing jobs it had (a restart without
 * persistence, a failover, an eviction): unrouted alerts, undelivered deliveries and — when
 * asked — the SLA timers and reminders of open orders are enqueued again through the outbox
 * (not deliveries whose outbox job is held: their writer is sending them, and a second job could
 * send twice). Job ids are deterministic and every handler re-checks the state, so re-enqueueing what still exists in
 * Redis is a no-op.
 */
@Injectable()
export class JobReconciler {
  private readonly logger = new Logger(JobReconciler.name);

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    private readonly sla: SlaPolicies,
  ) {}

  async reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
    const limit = options.limit ?? 5_000;
    const em = this.em.fork();
    const intents: JobIntent[] = [];
    const alerts = await em.find(Alert, { workOrderId: null, createdAt: { $lt: options.stuckBefore } }, { fields: ['id'], limit, orderBy: { createdAt: 'asc' } });
    for (const alert of alerts) intents.push(addJob(JOBS.routeAlert, { alertId: alert.id }));
    const pending = await em.find(Delivery, { status: 'pending', updatedAt: { $lt: options.stuckBefore } }, { fields: ['id'], limit, orderBy: { createdAt: 'asc' } });
    // A delivery whose job is held in the outbox is being sent by the process that stored it
    // (DirectDeliveries). Read after the deliveries: one settled in between is delivered (its
    // job is a no-op) or released to the queue (the same job id).
    const held = await this.outbox.heldJobIds(em);
    const deliveries = pending.filter((delivery) => !held.has(jobIds.deliver({ deliveryId: delivery.id })));
    for (const delivery of deliveries) intents.push(addJob(JOBS.deliver, { deliveryId: delivery.id }));
    await this.enqueue(em, intents);
    const timers = options.timers ? await this.rearmTimers(em, limit) : 0;
    if (intents.length > 0 || timers > 0) this.logger.warn({ alerts: alerts.length, deliveries: deliveries.length, timers }, 'jobs re-enqueued from the database');
    return { alerts: alerts.length, deliveries: deliveries.length, timers };
  }

  /**
   * The timers of every open order, as the order would arm them now (armTimers): the escalation
   * of its deadlines (one already past fires at once) and, while it awaits acceptance, its next
   * reminder (due a reminder interval from now). A page of orders at a time in id order, each
   * page's timers one transaction, so a city's every open order is covered however many there
   * are. Answers the number of timers.
   */
  private async rearmTimers(em: EntityManager, pageSize: number): Promise<number> {
    const now = new Date();
    let armed = 0;
    await forEachIdPage(
      (after) =>
        em.find(
          WorkOrder,
          { status: { $in: [...OPEN_STATUSES] }, ...after },
          { fields: ['id', 'status', 'category', 'severity', 'documentsComplete', 'level', 'reopenCount', 'reminders', 'acceptDueAt', 'resolveDueAt'], limit: pageSize, orderBy: { id: 'asc' } },
        ),
      async (orders) => {
        const terms = await this.sla.termsForMany(em, orders);
        const intents = orders.flatMap((order, i) => armTimers(order, terms[i], now));
        await this.enqueue(em, intents);
        armed += intents.length;
        em.clear();
      },
    );
    return armed;
  }

  /** One transaction (the outbox's insert splits a large batch into statements of its own). */
  private async enqueue(em: EntityManager, intents: readonly JobIntent[]): Promise<void> {
    if (intents.length === 0) return;
    await em.transactional((tx) => this.outbox.enqueue(tx, intents));
    this.outbox.committed();
  }
}
