import { Injectable } from '@nestjs/common';
import { EscalateJob, JOBS, RemindJob } from '@sc/messaging';
import { SlaTimers } from '@sc/core/work-orders/sla-timers';
import { PermanentJobFailure, requireStrings } from '../jobs/job-context';
import { OnJob } from '../jobs/job-handler.decorator';

/** work-orders / work-order.escalate and work-order.remind → SlaTimers. */
@Injectable()
export class WorkOrdersProcessor {
  constructor(private readonly timers: SlaTimers) {}

  @OnJob(JOBS.escalate)
  async escalate(data: unknown): Promise<void> {
    const job = requireStrings(data, ['workOrderId', 'level', 'deadline']);
    if (job.deadline !== 'accept' && job.deadline !== 'resolve') throw new PermanentJobFailure(`unknown deadline ${job.deadline}`);
    await this.timers.escalate(job as unknown as EscalateJob);
  }

  @OnJob(JOBS.remind)
  async remind(data: unknown): Promise<void> {
    const job = requireStrings(data, ['workOrderId', 'level']);
    const n = (data as { n?: unknown }).n;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new PermanentJobFailure('job payload has no reminder number n');
    await this.timers.remind({ workOrderId: job.workOrderId, level: job.level, n } satisfies RemindJob);
  }
}
