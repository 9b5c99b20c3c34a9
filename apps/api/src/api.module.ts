import { DynamicModule, Module } from '@nestjs/common';
import { apiEnvSchema } from '@sc/config';
import { PlatformModule } from '@sc/platform';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { DevicesApiModule } from './devices/devices-api.module';
import { HealthModule } from './health/health.module';
import { IngestApiModule } from './ingest/ingest-api.module';
import { OrgApiModule } from './org/org-api.module';

/** The HTTP adapter's features; needs the platform (config, database, Redis) around it. */
@Module({
  imports: [AuthModule, OrgApiModule, AccountsModule, DevicesApiModule, HealthModule, IngestApiModule],
})
export class ApiModule {}

/** The API app as it runs on its own. */
@Module({})
export class ApiAppModule {
  static register(env: Record<string, unknown> = {}): DynamicModule {
    return {
      module: ApiAppModule,
      imports: [PlatformModule.forApp({ name: 'api', schema: apiEnvSchema, env }), ApiModule],
    };
  }
}
