import { Module } from '@nestjs/common';
import { TelemetryModule } from '@sc/core/telemetry/telemetry.module';
import { DeviceEventsController } from './device-events.controller';
import { IngestRejectionsController } from './ingest-rejections.controller';

/** Read-only views of what the ingest stored and refused, for operators. */
@Module({
  imports: [TelemetryModule],
  controllers: [DeviceEventsController, IngestRejectionsController],
})
export class IngestApiModule {}
