import { Module } from '@nestjs/common';
import { DeliveryCoreModule } from '@sc/core/delivery/delivery-core.module';
import { QueuesModule } from '@sc/platform';
import { DeliveriesController } from './deliveries.controller';
import { DeliveryTargetsController } from './delivery-targets.controller';
import { QueuesAdmin } from './queues-admin.service';
import { QueuesController } from './queues.controller';

/** HTTP: delivery targets, deliveries, queue counts, the dead-letter queue and redrive. */
@Module({
  imports: [DeliveryCoreModule, QueuesModule],
  controllers: [DeliveryTargetsController, DeliveriesController, QueuesController],
  providers: [QueuesAdmin],
})
export class DeliveryApiModule {}
