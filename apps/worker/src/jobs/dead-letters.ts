import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DeadLetterJob, JOBS, JobName, QUEUES, QueueName } from '@sc/messaging';
import { QueueSet } from '@sc/platform';
import { JobRegistry } from './job-registry';

/** The id of a job's dead-letter entry: one per failed job, however often it is reported. */
export function deadLetterId(jobId: string): string {
  return `dead.${jobId}`;
}

/**
 * A job that failed its last attempt is copied to the dead-letter queue (visible and
 * redrivable through the API) and its feature records it (a delivery becomes dead). Both steps
 * are idempotent: the copy has a deterministic id, and the feature's record only moves a row
 * that is still pending.
 */
@Injectable()
export class DeadLetters {
  private readonly logger = new Logger(DeadLetters.name);

  constructor(
    private readonly queues: QueueSet,
    private readonly registry: JobRegistry,
  ) {}

  async bury(queue: QueueName, job: Job, reason: string, attemptsMade: number): Promise<void> {
    const jobId = job.id ?? 'unknown';
    const entry: DeadLetterJob = {
      queue,
      name: job.name as JobName,
      jobId,
      data: job.data as unknown,
      failedReason: reason,
      attemptsMade,
      failedAt: new Date().toISOString(),
    };
    // First the copy: if Redis fails here the job is retried and comes back to this point.
    await this.queues.get(QUEUES.deadLetter).add(JOBS.deadLetter, entry, { jobId: deadLetterId(jobId) });
    await this.registry.burier(job.name)?.(job.data, reason);
    this.logger.warn({ queue, job: job.name, jobId, attemptsMade, reason }, 'job failed its last attempt; moved to the dead-letter queue');
  }
}
