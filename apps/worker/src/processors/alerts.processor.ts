import { Injectable } from '@nestjs/common';
import { JOBS } from '@sc/messaging';
import { WorkOrderRouting } from '@sc/core/work-orders/work-order-routing';
import { requireStrings } from '../jobs/job-context';
import { OnJob } from '../jobs/job-handler.decorator';

/** alerts / alert.route → WorkOrderRouting. */
@Injectable()
export class AlertsProcessor {
  constructor(private readonly routing: WorkOrderRouting) {}

  @OnJob(JOBS.routeAlert)
  async route(data: unknown): Promise<void> {
    const { alertId } = requireStrings(data, ['alertId']);
    await this.routing.routeAlert(alertId);
  }
}
