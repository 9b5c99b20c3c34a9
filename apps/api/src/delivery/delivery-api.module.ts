import { Module } from '@nestjs/common';

/** HTTP: delivery targets, deliveries, the dead-letter queue and redrive. */
@Module({})
export class DeliveryApiModule {}
