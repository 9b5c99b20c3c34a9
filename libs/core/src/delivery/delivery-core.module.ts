import { Module } from '@nestjs/common';
import { DeadLetterRedrive } from './dead-letter-redrive';
import { DeliveriesService } from './deliveries.service';
import { DeliveryTargetsService } from './delivery-targets.service';
import { Notifier } from './notifier';
import { SecretBox } from './secret-box';

/**
 * Deciding deliveries (Notifier), managing targets, reading deliveries, redriving dead jobs.
 * Sending (DeliverySender) needs an HTTP transport and a rate counter: the worker provides it.
 */
@Module({
  providers: [Notifier, SecretBox, DeliveryTargetsService, DeliveriesService, DeadLetterRedrive],
  exports: [Notifier, SecretBox, DeliveryTargetsService, DeliveriesService, DeadLetterRedrive],
})
export class DeliveryCoreModule {}
