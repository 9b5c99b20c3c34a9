import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { JobHandover, OutboxRow } from '@sc/core/outbox/job-handover';
import { handToQueues } from './hand-to-queues';
import { QueueSet } from './queue-set';
import { QueuesModule } from './queues.module';

/** Outbox rows to their queues, from the process that committed them (the outbox relay's handover, run by the writer). */
@Injectable()
export class QueueHandover extends JobHandover {
  private readonly logger = new Logger(QueueHandover.name);

  constructor(private readonly queues: QueueSet) {
    super();
  }

  handOver(rows: readonly OutboxRow[]): Promise<void> {
    return handToQueues(this.queues, rows, this.logger);
  }
}

/**
 * Lets the Outbox of this process hand jobs over right after their commit (Outbox
 * enqueueForHandover): imported by the apps that write alerts and have Redis (the ingest; the
 * worker, so the all-in-one does it too).
 */
@Global()
@Module({
  imports: [QueuesModule],
  providers: [{ provide: JobHandover, useClass: QueueHandover }],
  exports: [JobHandover],
})
export class JobHandoverModule {}
