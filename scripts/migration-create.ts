/**
 * Generates the next migration for both dialects from the entity metadata:
 *   npm run migration:create -- <name>
 * SQLite is diffed against a scratch file, PostgreSQL against a scratch database created
 * from MIGRATION_PG_URL (default postgresql://postgres@127.0.0.1:5432/test), both dropped after.
 */
import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';
import { buildOrmOptions } from '@sc/database';
import { ALL_ENTITIES } from '@sc/core/entities';

async function generate(orm: MikroORM, name: string): Promise<void> {
  const migrator = orm.getMigrator();
  await migrator.up();
  const result = await migrator.createMigration(undefined, false, false, name);
  console.log(result.fileName ? `created ${result.fileName}` : 'no schema changes');
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'migration';
  const sqliteFile = join(tmpdir(), `sc-migrate-${process.pid}.sqlite`);
  const sqlite = await MikroORM.init(buildOrmOptions({ dataDir: tmpdir(), sqliteFile }, ALL_ENTITIES));
  try {
    await generate(sqlite, name);
  } finally {
    await sqlite.close(true);
    rmSync(sqliteFile, { force: true });
  }

  const adminUrl = process.env.MIGRATION_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const scratch = `sc_migrate_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${scratch}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${scratch}`;
    const pg = await MikroORM.init(buildOrmOptions({ url: url.toString(), dataDir: tmpdir() }, ALL_ENTITIES));
    try {
      await generate(pg, name);
    } finally {
      await pg.close(true);
    }
  } finally {
    await admin.query(`drop database if exists ${scratch}`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
