import { DynamicModule, Module } from '@nestjs/common';
import { allInOneEnvSchema } from '@sc/config';
import { PlatformModule } from '@sc/platform';
import { ApiModule } from '../../api/src/api.module';
import { IngestModule } from '../../ingest/src/ingest.module';
import { WorkerModule } from '../../worker/src/worker.module';

/** The three apps in one process, for a single machine; docker-compose runs them apart. */
@Module({})
export class AllInOneModule {
  static register(env: Record<string, unknown> = {}): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [
        PlatformModule.forApp({ name: 'all-in-one', schema: allInOneEnvSchema, env }),
        ApiModule,
        IngestModule,
        WorkerModule,
      ],
    };
  }
}
