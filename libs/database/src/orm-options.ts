import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { EntityClass, Options } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';

export type DatabaseDriverName = 'postgresql' | 'sqlite';

export interface DatabaseSettings {
  /** PostgreSQL URL; absent means SQLite under dataDir. */
  url?: string;
  dataDir: string;
  poolMax?: number;
  /** SQLite file name override (tests use one file per suite). */
  sqliteFile?: string;
  debug?: boolean;
}

export function driverOf(settings: DatabaseSettings): DatabaseDriverName {
  return settings.url ? 'postgresql' : 'sqlite';
}

/** Migrations are generated per dialect: the SQL differs, the history is the same. */
export function migrationsPath(driver: DatabaseDriverName): string {
  return join(__dirname, 'migrations', driver);
}

export function sqliteFilePath(settings: DatabaseSettings): string {
  const dir = isAbsolute(settings.dataDir) ? settings.dataDir : resolve(process.cwd(), settings.dataDir);
  return settings.sqliteFile ?? join(dir, 'smart-community.sqlite');
}

/** MikroORM options for either driver; the one place that knows both. */
export function buildOrmOptions(settings: DatabaseSettings, entities: EntityClass<object>[]): Options {
  const driver = driverOf(settings);
  const common = {
    entities,
    extensions: [Migrator],
    forceUtcTimezone: true,
    // Every use outside an HTTP request must fork: the global context stays disallowed.
    allowGlobalContext: false,
    debug: settings.debug ?? false,
    migrations: {
      path: migrationsPath(driver),
      pathTs: migrationsPath(driver),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts' as const,
      silent: true,
    },
    discovery: { warnWhenNoEntities: true },
    // Tables written by hand-written migrations and raw SQL, not mapped as entities: a generated
    // migration must not try to drop them. device_events is partitioned on PostgreSQL
    // (device_events_default, device_events_pYYYYMMDD), created and dropped by the ingest.
    schemaGenerator: { skipTables: [/^device_events(_\w+)?$/] },
  };
  if (driver === 'postgresql') {
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: settings.url,
      pool: { min: 0, max: settings.poolMax ?? 10 },
    };
  }
  const file = sqliteFilePath(settings);
  if (file !== ':memory:') mkdirSync(resolve(file, '..'), { recursive: true });
  return {
    ...common,
    driver: BetterSqliteDriver,
    dbName: file,
    // One writer at a time on SQLite; WAL lets readers go on while it writes.
    pool: { min: 1, max: 1 },
    onCreate: undefined,
  } as Options;
}
