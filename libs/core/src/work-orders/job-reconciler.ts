import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { addJob, JobIntent, jobIds, JOBS } from '@sc/messaging';
import { Alert } from '../alerts/entities/alert.entity';
import { Delivery } from '../delivery/entities/delivery.entity';
import { Outbox } from '../outbox/outbox';
import { WorkOrder } from './entities/work-order.entity';
import { OPEN_STATUSES } from './work-order-states';
import { AWAITING_ACCEPTANCE, levelToken } from './sla-clock';

export interface ReconcileOptions {
  /** Also re-arm the SLA timers of every open order (after Redis lost its data). */
  timers: boolean;
  /** Only alerts and deliveries this old count as stuck (younger ones are on their way). */
  stuckBefore: Date;
  /** Rows per kind per pass. */
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
 * asked — the SLA timers of open orders are enqueued again through the outbox (not deliveries
 * whose outbox job is held: their writer is sending them, and a second job could send twice). Job ids are
 * deterministic and every handler re-checks the state, so re-enqueueing what still exists in
 * Redis is a no-op.
 */
@Injectable()
export class JobReconciler {
  private readonly logger = new Logger(JobReconciler.name);

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
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
    let timers = 0;
    if (options.timers) {
      const orders = await em.find(
        WorkOrder,
        { status: { $in: [...OPEN_STATUSES, 'resolved'] } },
        { fields: ['id', 'status', 'level', 'reopenCount', 'acceptedAt', 'acceptDueAt', 'resolveDueAt', 'resolvedAt'], limit: limit * 4, orderBy: { reportedAt: 'asc' } },
      );
      for (const order of orders) {
        // Timers are keyed by the level token (a reopened order's carries its generation) and await acceptance by status (a reopened order keeps its first acceptedAt).
        if (AWAITING_ACCEPTANCE.includes(order.status) && order.acceptDueAt) {
          intents.push(addJob(JOBS.escalate, { workOrderId: order.id, level: levelToken(order), deadline: 'accept' }, order.acceptDueAt));
          timers += 1;
        }
        if (order.status !== 'resolved' && order.resolveDueAt) {
          intents.push(addJob(JOBS.escalate, { workOrderId: order.id, level: levelToken(order), deadline: 'resolve' }, order.resolveDueAt));
          timers += 1;
        }
      }
    }
    if (intents.length > 0) {
      await em.transactional(async (tx) => {
        for (let start = 0; start < intents.length; start += 1_000) await this.outbox.enqueue(tx, intents.slice(start, start + 1_000));
      });
      this.outbox.committed();
      this.logger.warn({ alerts: alerts.length, deliveries: deliveries.length, timers }, 'jobs re-enqueued from the database');
    }
    return { alerts: alerts.length, deliveries: deliveries.length, timers };
  }
}
