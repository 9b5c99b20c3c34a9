import { Injectable, Logger } from '@nestjs/common';
import { JOBS } from '@sc/messaging';
import { DeliverySender } from '@sc/core/delivery/delivery-sender';
import { DirectDeliveries } from '@sc/core/delivery/direct-deliveries';
import { Coalescer } from '@sc/core/shared/coalescer';
import { WorkOrderRouting } from '@sc/core/work-orders/work-order-routing';
import { requireStrings } from '../jobs/job-context';
import { OnJob } from '../jobs/job-handler.decorator';

/**
 * The alert jobs that run at the same time are routed together: one transaction and a few
 * set-based queries for the batch instead of ~20 queries per alert, which is what lets one
 * worker keep up with hundreds of alerts a second. Two batches run at a time (one's statements
 * overlap the other's waits for the database; their alerts are locked in id order and their orders
 * inserted in key order, so they never deadlock): the jobs that arrive meanwhile make the next one,
 * so batches grow with the load (fewer statements per alert exactly when the CPU is short) while a
 * lone alert still goes at once.
 */
const ROUTING_BATCH = { maxBatch: 100, maxInFlight: 2 };

/** alerts / alert.route → WorkOrderRouting (batched across concurrent jobs), then the new orders' deliveries sent at once. */
@Injectable()
export class AlertsProcessor {
  private readonly batches: Coalescer<string, string | undefined>;
  private readonly logger = new Logger(AlertsProcessor.name);

  constructor(routing: WorkOrderRouting, sender: DeliverySender) {
    // The new orders' webhooks go out from here right after the commit (DirectDeliveries); the
    // deliveries queue takes over only those that fail or are rate limited.
    this.batches = new Coalescer(async (ids) => {
      const direct = new DirectDeliveries();
      const results = await routing.routeAlerts(ids, { direct });
      sender.sendDirect(direct);
      return results;
    }, {
      ...ROUTING_BATCH,
      onBatchFailed: (error, alerts) => this.logger.warn(`routing a batch of ${alerts} alerts failed, routing them one by one: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  @OnJob(JOBS.routeAlert)
  async route(data: unknown): Promise<void> {
    const { alertId } = requireStrings(data, ['alertId']);
    await this.batches.load(alertId);
  }
}
