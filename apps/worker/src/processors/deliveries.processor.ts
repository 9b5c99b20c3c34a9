import { Injectable } from '@nestjs/common';
import { JOBS } from '@sc/messaging';
import { DeliveryAttemptError } from '@sc/core/delivery/delivery-errors';
import { DeliverySender } from '@sc/core/delivery/delivery-sender';
import { JobContext, JobOutcome, PermanentJobFailure, requireStrings } from '../jobs/job-context';
import { OnDeadJob, OnJob } from '../jobs/job-handler.decorator';

/** deliveries / delivery.send → DeliverySender. */
@Injectable()
export class DeliveriesProcessor {
  constructor(private readonly sender: DeliverySender) {}

  @OnJob(JOBS.deliver)
  async send(data: unknown, context: JobContext): Promise<JobOutcome> {
    const { deliveryId } = requireStrings(data, ['deliveryId']);
    try {
      const outcome = await this.sender.send(deliveryId, { signal: context.signal });
      if (outcome.kind === 'rate_limited') return { retryAt: outcome.retryAt };
    } catch (error: unknown) {
      if (error instanceof DeliveryAttemptError && error.permanent) throw new PermanentJobFailure(error.message, { cause: error });
      throw error;
    }
  }

  @OnDeadJob(JOBS.deliver)
  async dead(data: unknown, reason: string): Promise<void> {
    const { deliveryId } = requireStrings(data, ['deliveryId']);
    await this.sender.markDead(deliveryId, reason);
  }
}
