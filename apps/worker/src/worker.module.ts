import { DynamicModule, Module } from '@nestjs/common';
import { workerEnvSchema } from '@sc/config';
import { PlatformModule } from '@sc/platform';

/** BullMQ processors: alert routing, escalation timers, delivery (built by the alerts issue). */
@Module({})
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
