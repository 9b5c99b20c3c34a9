import { DynamicModule, Module } from '@nestjs/common';
import { APP_ENV, IngestEnv, ingestEnvSchema, RUNTIME_SETTINGS, RuntimeSettings } from '@sc/config';
import { AlertsEngineModule } from '@sc/core/alerts/alerts-engine.module';
import { DeviceCredentialsService } from '@sc/core/devices/device-credentials.service';
import { DevicesModule } from '@sc/core/devices/devices.module';
import { IngestCoreModule } from '@sc/core/telemetry/ingest-core.module';
import { IngestPipeline } from '@sc/core/telemetry/ingest-pipeline';
import { JobHandoverModule, PlatformModule } from '@sc/platform';
import { MQTT_INGEST_STATUS } from '@sc/messaging';
import { IngestRunner } from './ingest-runner';
import { ingestSettingsFromEnv } from './ingest-settings';
import { EmbeddedBrokerSource } from './sources/embedded-broker.source';
import { INGEST_SOURCE, IngestSource } from './sources/ingest-source';
import { MqttSubscriberSource } from './sources/mqtt-subscriber.source';

/** MQTT_URL set: subscribe to that broker; absent: run the embedded one. */
function sourceFor(env: IngestEnv, pipeline: IngestPipeline, credentials: DeviceCredentialsService): IngestSource {
  if (env.MQTT_URL) {
    return new MqttSubscriberSource(
      {
        url: env.MQTT_URL,
        username: env.MQTT_USERNAME,
        password: env.MQTT_PASSWORD,
        instanceId: env.INGEST_INSTANCE_ID,
        connections: { routine: env.INGEST_CONNECTIONS, event: env.INGEST_EVENT_CONNECTIONS },
        pendingPerConnection: env.INGEST_PENDING_PER_CONNECTION,
      },
      pipeline,
    );
  }
  const serviceUser = env.MQTT_USERNAME && env.MQTT_PASSWORD ? { username: env.MQTT_USERNAME, password: env.MQTT_PASSWORD } : undefined;
  return new EmbeddedBrokerSource({ port: env.MQTT_EMBEDDED_PORT, serviceUser }, pipeline, credentials);
}

/** MQTT in: the device contract and the durable ingest pipeline (group commit, ack after commit, presence). */
@Module({
  imports: [
    DevicesModule,
    // The alert rules run on the ingest's storing transaction (the API never runs them).
    AlertsEngineModule,
    IngestCoreModule.register({
      inject: [APP_ENV, RUNTIME_SETTINGS],
      useFactory: (env: IngestEnv, runtime: RuntimeSettings) => ingestSettingsFromEnv(env, runtime),
    }),
  ],
  providers: [
    { provide: INGEST_SOURCE, inject: [APP_ENV, IngestPipeline, DeviceCredentialsService], useFactory: sourceFor },
    { provide: MQTT_INGEST_STATUS, useExisting: INGEST_SOURCE },
    IngestRunner,
  ],
  exports: [IngestCoreModule],
})
export class IngestModule {}

@Module({})
export class IngestAppModule {
  static register(env: Record<string, unknown> = {}): DynamicModule {
    return {
      module: IngestAppModule,
      // JobHandoverModule: the route jobs of new alerts go to Redis right after their commit, not through the worker's relay.
      imports: [PlatformModule.forApp({ name: 'ingest', schema: ingestEnvSchema, env }), JobHandoverModule, IngestModule],
    };
  }
}
