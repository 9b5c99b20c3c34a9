import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Client } from 'pg';
import { buildOrmOptions } from '@sc/database';
import { ALL_ENTITIES } from '@sc/core/entities';
import { Device } from '@sc/core/devices/entities/device.entity';
import { issueDeviceCredential } from '@sc/core/devices/device-credentials';
import { OrgLevel } from '@sc/core/org/org-level';
import { Factories } from '@sc/testing';
import { BenchDevice } from './telemetry';

const ADMIN_URL = process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface PhaseCounts {
  rows: number;
  distinct: number;
}

/**
 * A PostgreSQL database that exists for one benchmark run: created, migrated and provisioned
 * here, dropped in `drop()`. Queries for the results go through a plain pg client.
 */
export class ScratchDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
    readonly dataDir: string,
    private readonly client: Client,
  ) {}

  static async create(): Promise<ScratchDatabase> {
    const name = `sc_bench_${randomBytes(5).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    // The ORM stores datetimes as UTC; a timestamp column then reads right in any session only at UTC.
    await client.query(`set time zone 'UTC'`);
    return new ScratchDatabase(name, url.toString(), mkdtempSync(join(tmpdir(), 'sc-bench-')), client);
  }

  /** Migrates like the apps do, then registers `sites` communities and the devices under them. */
  async provision(sites: readonly string[], devices: readonly BenchDevice[]): Promise<void> {
    const orm = await MikroORM.init(buildOrmOptions({ url: this.url, dataDir: this.dataDir, poolMax: 4 }, ALL_ENTITIES));
    try {
      await orm.getMigrator().up();
      const fork = () => orm.em.fork() as EntityManager;
      const factories = new Factories(fork);
      const city = await factories.newUnit(OrgLevel.City, undefined, { code: 'bench-city' });
      const district = await factories.newUnit(OrgLevel.District, city);
      const street = await factories.newUnit(OrgLevel.Street, district);
      const communities = new Map<string, string>();
      for (const site of sites) communities.set(site, (await factories.newUnit(OrgLevel.Community, street, { code: site })).id);
      // One hash for all: credentials are checked by the broker, and hashing 5,000 secrets only costs time.
      const credentialHash = issueDeviceCredential().hash;
      for (let start = 0; start < devices.length; start += 1000) {
        const em = fork();
        for (const device of devices.slice(start, start + 1000)) {
          const community = communities.get(device.siteId);
          if (!community) throw new Error(`no community for site ${device.siteId}`);
          em.create(Device, { code: device.code, type: device.type, credentialHash, community });
        }
        await em.flush();
      }
    } finally {
      await orm.close(true);
    }
  }

  /**
   * The bench's clock on every stored row: clock_timestamp() when the ingest inserted it, i.e.
   * inside the transaction that commits it, just before the commit. Only in this scratch copy.
   */
  async addStoredAtColumn(): Promise<void> {
    await this.client.query('alter table device_events add column bench_stored_at timestamptz default clock_timestamp()');
  }

  async counts(msgIdPrefix: string): Promise<PhaseCounts> {
    const { rows } = await this.client.query<{ rows: string; distinct: string }>(
      `select count(*) as rows, count(distinct (device_id, msg_id)) as distinct from device_events where msg_id like $1`,
      [`${msgIdPrefix}%`],
    );
    return { rows: Number(rows[0].rows), distinct: Number(rows[0].distinct) };
  }

  async storedCount(msgIdPrefix: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`select count(*) as n from device_events where msg_id like $1`, [`${msgIdPrefix}%`]);
    return Number(rows[0].n);
  }

  /** Epoch ms of the last row of a phase stored. */
  async lastStoredAt(msgIdPrefix: string): Promise<number> {
    const { rows } = await this.client.query<{ at: string | null }>(
      `select extract(epoch from max(bench_stored_at)) * 1000 as at from device_events where msg_id like $1`,
      [`${msgIdPrefix}%`],
    );
    return Number(rows[0].at);
  }

  /** Publish (the payload's ts, taken at publish) → stored, in ms: p50, p99, max. */
  async storedLatency(msgIdPrefix: string): Promise<{ p50: number; p99: number; max: number }> {
    const { rows } = await this.client.query<{ p50: number; p99: number; max: number }>(
      `select percentile_cont(0.5) within group (order by lat) as p50,
              percentile_cont(0.99) within group (order by lat) as p99,
              max(lat) as max
         from (select extract(epoch from (bench_stored_at - ts)) * 1000 as lat from device_events where msg_id like $1) l`,
      [`${msgIdPrefix}%`],
    );
    return { p50: Number(rows[0].p50), p99: Number(rows[0].p99), max: Number(rows[0].max) };
  }

  async drop(): Promise<void> {
    await this.client.end().catch(() => undefined);
    await adminQuery(`drop database if exists ${this.name} with (force)`);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
