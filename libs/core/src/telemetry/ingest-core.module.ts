import { DynamicModule, FactoryProvider, Module } from '@nestjs/common';
import { DeviceDirectory } from './device-directory';
import { EventStore } from './event-store';
import { EventTableMaintenance } from './event-table-maintenance';
import { IngestPipeline } from './ingest-pipeline';
import { INGEST_SETTINGS, IngestSettings } from './ingest-settings';
import { IngestStats } from './ingest-stats';
import { PresenceSweeper } from './presence-sweeper';
import { PresenceWriter } from './presence-writer';
import { TelemetryModule } from './telemetry.module';

const INGEST_PROVIDERS = [DeviceDirectory, PresenceWriter, EventStore, IngestStats, IngestPipeline, PresenceSweeper, EventTableMaintenance];

/**
 * The ingest's domain: checks, group commit, event store, presence, table upkeep. Transport
 * free: a source (MQTT client, embedded broker) submits messages with an ack callback.
 */
@Module({})
export class IngestCoreModule {
  static register(settings: Omit<FactoryProvider<IngestSettings>, 'provide'>): DynamicModule {
    return {
      module: IngestCoreModule,
      imports: [TelemetryModule],
      providers: [{ provide: INGEST_SETTINGS, ...settings }, ...INGEST_PROVIDERS],
      exports: [INGEST_SETTINGS, TelemetryModule, ...INGEST_PROVIDERS],
    };
  }
}
