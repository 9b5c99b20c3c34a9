import { Module } from '@nestjs/common';
import { Notifier } from './notifier';

/** Deciding deliveries (Notifier) and managing targets; sending is the worker's job. */
@Module({
  providers: [Notifier],
  exports: [Notifier],
})
export class DeliveryCoreModule {}
