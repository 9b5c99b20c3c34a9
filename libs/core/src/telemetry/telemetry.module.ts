import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DeviceEventHooks } from '../devices/device-event-hooks';
import { DeviceEventsService } from './device-events.service';
import { IngestRejection } from './entities/ingest-rejection.entity';
import { IngestRejectionsService } from './ingest-rejections.service';

/**
 * Stored device events and the quarantine as operators read them, and the rule-hook registry
 * (DeviceEventHooks) that the alerts feature registers with. One instance per process, so in the
 * all-in-one the API, the ingest and the alerts share the registry.
 */
@Module({
  imports: [MikroOrmModule.forFeature([IngestRejection])],
  providers: [DeviceEventHooks, DeviceEventsService, IngestRejectionsService],
  exports: [DeviceEventHooks, DeviceEventsService, IngestRejectionsService],
})
export class TelemetryModule {}
