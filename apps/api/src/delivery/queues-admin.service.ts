import { Injectable, Logger } from '@nestjs/common';
import { DeadLetterRedrive, RedriveResult } from '@sc/core/delivery/dead-letter-redrive';
import { assertPermission, Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { DomainError } from '@sc/core/shared/domain-error';
import { Page, PageQuery, pageWindow } from '@sc/core/shared/paging';
import { DeadLetterJob, QUEUES } from '@sc/messaging';
import { QueueCounts, QueueSet } from '@sc/platform';

export interface DeadLetterEntry extends DeadLetterJob {
  id: string;
}

/**
 * The queues as operators see them: counts, the dead-letter queue, redrive. An adapter over
 * BullMQ; the redrive decision (what becomes pending again, the audit) is the domain's.
 */
@Injectable()
export class QueuesAdmin {
  private readonly logger = new Logger(QueuesAdmin.name);

  constructor(
    private readonly queues: QueueSet,
    private readonly redrives: DeadLetterRedrive,
  ) {}

  async counts(principal: Principal): Promise<QueueCounts[]> {
    assertPermission(principal, Permission.QueuesAdmin);
    return this.queues.counts();
  }

  /** Oldest first: the order they failed in. */
  async deadLetters(principal: Principal, query: PageQuery): Promise<Page<DeadLetterEntry>> {
    assertPermission(principal, Permission.QueuesAdmin);
    const { limit, offset } = pageWindow(query);
    const dlq = this.queues.get(QUEUES.deadLetter);
    const [jobs, total] = await Promise.all([dlq.getJobs(['waiting', 'paused'], offset, offset + limit - 1, true), dlq.getJobCountByTypes('waiting', 'paused')]);
    return {
      items: jobs.filter((job) => job.id !== undefined).map((job) => ({ ...(job.data as DeadLetterJob), id: job.id as string })),
      total,
      limit,
      offset,
    };
  }

  async redrive(principal: Principal, id: string): Promise<RedriveResult> {
    assertPermission(principal, Permission.QueuesAdmin);
    const job = id.length <= 300 ? await this.queues.get(QUEUES.deadLetter).getJob(id) : undefined;
    if (!job) throw DomainError.notFound('dead-letter entry', id);
    const result = await this.redrives.redrive(principal, id, job.data as DeadLetterJob);
    // After the commit: if this fails the entry stays, and a second redrive makes the same job id (one job).
    await job.remove().catch((error: unknown) => this.logger.warn({ err: error, id }, 'redriven, but the dead-letter entry could not be removed'));
    return result;
  }
}
