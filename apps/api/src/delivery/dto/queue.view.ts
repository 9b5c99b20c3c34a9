import { ApiProperty } from '@nestjs/swagger';
import { QUEUES } from '@sc/messaging';

export class QueueCountsView {
  @ApiProperty({ enum: Object.values(QUEUES) })
  queue!: string;
  @ApiProperty()
  waiting!: number;
  @ApiProperty()
  active!: number;
  @ApiProperty({ description: 'Timers, retries after backoff, rate-limited deliveries' })
  delayed!: number;
  @ApiProperty({ description: 'Jobs that used up their attempts (copied to the dead-letter queue)' })
  failed!: number;
  @ApiProperty({ description: 'Kept for a day so a job added twice stays one' })
  completed!: number;
}

export class QueuesView {
  @ApiProperty({ type: [QueueCountsView] })
  queues!: QueueCountsView[];
}

export class DeadLetterEntryView {
  @ApiProperty({ example: 'dead.deliver.5f0c…', description: 'Id of the entry (redrive it with this id)' })
  id!: string;
  @ApiProperty({ example: 'deliveries' })
  queue!: string;
  @ApiProperty({ example: 'delivery.send' })
  name!: string;
  @ApiProperty({ example: 'deliver.5f0c…', description: 'Id of the failed job' })
  jobId!: string;
  @ApiProperty({ type: Object })
  data!: unknown;
  @ApiProperty({ example: 'HTTP 500 from pm.example.com' })
  failedReason!: string;
  @ApiProperty()
  attemptsMade!: number;
  @ApiProperty()
  failedAt!: string;
}

export class DeadLetterPage {
  @ApiProperty({ type: [DeadLetterEntryView] })
  items!: DeadLetterEntryView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export class RedriveView {
  @ApiProperty({ example: 'deliver.5f0c….r1', description: 'The id the job runs under again' })
  jobId!: string;
  @ApiProperty({ example: 'delivery.send' })
  name!: string;
  @ApiProperty({ example: 'delivery' })
  subjectType!: string;
  @ApiProperty({ format: 'uuid' })
  subjectId!: string;
}
