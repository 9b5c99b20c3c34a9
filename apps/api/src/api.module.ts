import { DynamicModule, Module } from '@nestjs/common';
import { apiEnvSchema } from '@sc/config';
import { PlatformModule } from '@sc/platform';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { DevicesApiModule } from './devices/devices-api.module';
import { HealthModule } from './health/health.module';
import { IngestApiModule } from './ingest/ingest-api.module';
import { OrgApiModule } from './org/org-api.module';
import { AlertsApiModule } from './alerts/alerts-api.module';
import { WorkOrdersApiModule } from './work-orders/work-orders-api.module';
import { DeliveryApiModule } from './delivery/delivery-api.module';
import { MeetingsApiModule } from './meetings/meetings-api.module';

/** The HTTP adapter's features; needs the platform (config, database, Redis) around it. */
@Module({
  imports: [
    AuthModule,
    OrgApiModule,
    AccountsModule,
    DevicesApiModule,
    HealthModule,
    IngestApiModule,
    AlertsApiModule,
    WorkOrdersApiModule,
    DeliveryApiModule,
    MeetingsApiModule,
  ],
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
