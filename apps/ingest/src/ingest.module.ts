import { DynamicModule, Module } from '@nestjs/common';
import { ingestEnvSchema } from '@sc/config';
import { PlatformModule } from '@sc/platform';

/** MQTT in: the device contract and the durable ingest pipeline (built by the ingest issue). */
@Module({})
export class IngestModule {}

@Module({})
export class IngestAppModule {
  static register(env: Record<string, unknown> = {}): DynamicModule {
    return {
      module: IngestAppModule,
      imports: [PlatformModule.forApp({ name: 'ingest', schema: ingestEnvSchema, env }), IngestModule],
    };
  }
}
