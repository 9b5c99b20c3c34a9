import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { workerEnvSchema } from '@sc/config';
import { JobHandoverModule, PlatformModule, QueuesModule } from '@sc/platform';
import { DeliveryCoreModule } from '@sc/core/delivery/delivery-core.module';
import { DeliveryRateLimiter, DeliveryTransport } from '@sc/core/delivery/delivery-ports';
import { DeliverySender } from '@sc/core/delivery/delivery-sender';
import { MeetingsModule } from '@sc/core/meetings/meetings.module';
import { WorkOrdersModule } from '@sc/core/work-orders/work-orders.module';
import { HttpTransport } from './delivery/http-transport';
import { RedisRateLimiter } from './delivery/redis-rate-limiter';
import { DeadLetters } from './jobs/dead-letters';
import { JobRegistry } from './jobs/job-registry';
import { QueueWorkers } from './jobs/queue-workers';
import { OutboxRelay } from './outbox/outbox-relay';
import { RedisLossWatch } from './reconcile/redis-loss-watch';
import { AlertsProcessor } from './processors/alerts.processor';
import { DeliveriesProcessor } from './processors/deliveries.processor';
import { MeetingsProcessor } from './processors/meetings.processor';
import { WorkOrdersProcessor } from './processors/work-orders.processor';

/**
 * BullMQ processors (alert routing, SLA timers, deliveries, meeting reminders), the outbox relay
 * that feeds them, the dead-letter queue they fail into, and the watch that re-arms jobs Redis lost.
 * JobHandoverModule: alerts raised in the same process (the all-in-one's ingest) reach their queue
 * right after their commit.
 */
@Module({
  imports: [DiscoveryModule, QueuesModule, JobHandoverModule, DeliveryCoreModule, WorkOrdersModule, MeetingsModule],
  providers: [
    JobRegistry,
    DeadLetters,
    QueueWorkers,
    OutboxRelay,
    RedisLossWatch,
    AlertsProcessor,
    WorkOrdersProcessor,
    DeliveriesProcessor,
    MeetingsProcessor,
    DeliverySender,
    { provide: DeliveryTransport, useClass: HttpTransport },
    { provide: DeliveryRateLimiter, useClass: RedisRateLimiter },
  ],
  exports: [OutboxRelay, QueueWorkers],
})
export class WorkerModule {}

@Module({})
export class WorkerAppModule {
  static register(env: Record<string, unknown> = {}): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [PlatformModule.forApp({ name: 'worker', schema: workerEnvSchema, env }), WorkerModule],
    };
  }
}
