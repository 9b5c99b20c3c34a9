import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { EntityClass, MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { APP_ENV, BaseEnv } from '@sc/config';
import { buildOrmOptions, DatabaseSettings, driverOf } from './orm-options';

export const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');

export function databaseSettingsFromEnv(env: BaseEnv): DatabaseSettings {
  return { url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolMax: env.DATABASE_POOL_MAX };
}

/** Applies pending migrations before the app serves anything. */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);
  constructor(
    private readonly orm: MikroORM,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const connection = this.orm.em.getConnection();
    if (driverOf(this.settings) === 'sqlite') {
      // WAL: readers do not wait for the writer; NORMAL sync is durable at checkpoints and
      // survives a process crash (not a power cut), the usual trade-off for an embedded store.
      await connection.execute('pragma journal_mode = WAL');
      await connection.execute('pragma busy_timeout = 5000');
      await connection.execute('pragma foreign_keys = ON');
    }
    const applied = await this.orm.getMigrator().up();
    if (applied.length > 0) {
      this.logger.log({ migrations: applied.map((m) => m.name) }, 'database migrations applied');
    }
  }
}

@Global()
@Module({})
export class DatabaseModule {
  /** Connects with the app's validated environment and runs migrations at start. */
  static forRoot(entities: EntityClass<object>[], overrides: Partial<DatabaseSettings> = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRootAsync({
          inject: [APP_ENV],
          useFactory: (env: BaseEnv) => buildOrmOptions({ ...databaseSettingsFromEnv(env), ...overrides }, entities),
        }),
      ],
      providers: [
        {
          provide: DATABASE_SETTINGS,
          inject: [APP_ENV],
          useFactory: (env: BaseEnv): DatabaseSettings => ({ ...databaseSettingsFromEnv(env), ...overrides }),
        },
        MigrationRunner,
      ],
      exports: [DATABASE_SETTINGS],
    };
  }
}
