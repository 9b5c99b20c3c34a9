import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export type TestDriver = 'sqlite' | 'postgresql';

/** TEST_DB picks the database of the integration tests; the suite runs once per driver. */
export function testDriver(): TestDriver {
  const value = process.env.TEST_DB ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgresql') throw new Error(`TEST_DB must be sqlite or postgresql, got ${value}`);
  return value;
}

const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  driver: TestDriver;
  /** Environment values that point an app at this database. */
  env: Record<string, string>;
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database per test file: a new PostgreSQL database or a new SQLite file, so
 * suites never see each other's rows. Migrations run when the app starts.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const driver = testDriver();
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-test-'));
  if (driver === 'sqlite') {
    return {
      driver,
      dataDir,
      env: { DATA_DIR: dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `sc_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    driver,
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
