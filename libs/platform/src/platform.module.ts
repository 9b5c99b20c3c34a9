import { DynamicModule, Module } from '@nestjs/common';
import { z } from 'zod';
import { AppConfigModule, BaseEnv, LoggingModule } from '@sc/config';
import { DatabaseModule } from '@sc/database';
import { ALL_ENTITIES } from '@sc/core/entities';
import { RedisModule } from '@sc/messaging';
import { AuditModule } from '@sc/core/audit/audit.module';
import { ReferenceCacheModule } from '@sc/core/shared/reference-cache.module';

export interface PlatformOptions {
  /** App name in logs. */
  name: string;
  /** The app's environment schema, validated once at start-up. */
  schema: z.ZodType<BaseEnv>;
  /** Values that win over process.env (tests, the all-in-one entry). */
  env?: Record<string, unknown>;
}

/** What every app stands on: validated config, structured logs, the database (migrated), Redis, the audit log and the job outbox, the reference-data cache. */
@Module({})
export class PlatformModule {
  static forApp(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        AppConfigModule.forApp(options.schema, options.env),
        LoggingModule.forApp(options.name),
        DatabaseModule.forRoot(ALL_ENTITIES),
        RedisModule,
        AuditModule,
        ReferenceCacheModule,
      ],
      exports: [AppConfigModule, DatabaseModule, RedisModule],
    };
  }
}
