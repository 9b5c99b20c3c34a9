import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { INGEST_SETTINGS, IngestSettings } from './ingest-settings';
import { Dialect, execute, queryRows } from './sql';

const DAY_MS = 86_400_000;
/** Days of partitions created ahead of today, so the default partition stays empty. */
const DAYS_AHEAD = 2;
const PARTITION_NAME = /^device_events_p(\d{4})(\d{2})(\d{2})$/;
/** Serialises partition work across ingest instances (pg_advisory_xact_lock key). */
const PARTITION_LOCK = 0x5c_1e_e7_00;
/** Rows per delete on SQLite, so retention never holds the single writer for long. */
const DELETE_SLICE = 5_000;

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function partitionName(dayStartMs: number): string {
  return `device_events_p${new Date(dayStartMs).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

function partitionDay(name: string): number | undefined {
  const match = PARTITION_NAME.exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}

export interface MaintenanceReport {
  created: string[];
  dropped: string[];
  /** Rows deleted outside dropped partitions (SQLite, PostgreSQL's default partition). */
  deleted: number;
}

/**
 * Upkeep of the event tables, run by the ingest at start and daily: on PostgreSQL it creates
 * the daily partitions of device_events from the oldest accepted device time to two days
 * ahead, and drops whole partitions past EVENT_RETENTION_DAYS; on SQLite it deletes old rows
 * in slices. It also trims the rejection quarantine to QUARANTINE_MAX_ROWS, oldest first.
 */
@Injectable()
export class EventTableMaintenance {
  private readonly logger = new Logger(EventTableMaintenance.name);
  private readonly dialect: Dialect;

  constructor(
    private readonly em: EntityManager,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    @Inject(DATABASE_SETTINGS) database: DatabaseSettings,
  ) {
    this.dialect = driverOf(database);
  }

  async run(now = new Date()): Promise<MaintenanceReport> {
    const cutoff = startOfUtcDay(now.getTime() - this.settings.retentionDays * DAY_MS);
    const report: MaintenanceReport = { created: [], dropped: [], deleted: 0 };
    if (this.dialect === 'postgresql') {
      await this.em.fork().transactional(async (tx) => {
        await execute(tx, 'select pg_advisory_xact_lock(?)', [PARTITION_LOCK]);
        const existing = await this.partitions(tx);
        report.dropped = await this.dropExpired(tx, existing, cutoff);
        report.created = await this.createAhead(tx, existing, now, cutoff);
        report.deleted = await execute(tx, 'delete from device_events_default where ts < ?', [new Date(cutoff)]);
      });
    } else {
      report.deleted = await this.deleteSlices('delete from device_events where rowid in (select rowid from device_events where ts < ? limit ?)', [new Date(cutoff)]);
    }
    if (report.created.length + report.dropped.length + report.deleted > 0) {
      this.logger.log({ ...report, retentionDays: this.settings.retentionDays }, 'device event tables maintained');
    }
    return report;
  }

  /** Deletes the oldest quarantine rows beyond the bound; returns how many. */
  async trimQuarantine(): Promise<number> {
    const em = this.em.fork();
    const [{ n }] = await queryRows<{ n: number | string }>(em, 'select count(*) as n from ingest_rejections');
    const excess = Number(n) - this.settings.quarantineMaxRows;
    if (excess <= 0) return 0;
    return execute(em, 'delete from ingest_rejections where id in (select id from ingest_rejections order by received_at asc, id asc limit ?)', [excess]);
  }

  private async partitions(em: EntityManager): Promise<string[]> {
    const rows = await queryRows<{ name: string }>(
      em,
      `select c.relname as name from pg_inherits i
         join pg_class c on c.oid = i.inhrelid
         join pg_class p on p.oid = i.inhparent
       where p.relname = 'device_events' and p.relnamespace = to_regnamespace(current_schema())::oid`,
    );
    return rows.map((r) => r.name);
  }

  private async dropExpired(em: EntityManager, existing: string[], cutoff: number): Promise<string[]> {
    const dropped: string[] = [];
    for (const name of existing) {
      const day = partitionDay(name);
      if (day !== undefined && day + DAY_MS <= cutoff) {
        await execute(em, `drop table "${name}"`);
        dropped.push(name);
      }
    }
    return dropped;
  }

  private async createAhead(em: EntityManager, existing: string[], now: Date, cutoff: number): Promise<string[]> {
    const oldestAccepted = now.getTime() - this.settings.timeWindow.maxAgeMs;
    const first = Math.max(startOfUtcDay(oldestAccepted), cutoff);
    const last = startOfUtcDay(now.getTime() + this.settings.timeWindow.maxFutureMs) + DAYS_AHEAD * DAY_MS;
    const created: string[] = [];
    for (let day = first; day <= last; day += DAY_MS) {
      const name = partitionName(day);
      if (existing.includes(name)) continue;
      await this.createPartition(em, name, day);
      created.push(name);
    }
    return created;
  }

  /**
   * Rows of the day that went to the default partition (none normally: partitions are made
   * ahead) would make `partition of` fail, so they are moved into the new table before it is
   * attached. Bounds are literals we generate: DDL takes no parameters.
   */
  private async createPartition(em: EntityManager, name: string, day: number): Promise<void> {
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    const [{ stray }] = await queryRows<{ stray: boolean }>(
      em,
      'select exists (select 1 from device_events_default where ts >= ? and ts < ?) as stray',
      [new Date(day), new Date(day + DAY_MS)],
    );
    if (!stray) {
      await execute(em, `create table "${name}" partition of device_events for values from ('${from}') to ('${to}')`);
      return;
    }
    await execute(em, `create table "${name}" (like device_events including defaults including constraints)`);
    await execute(
      em,
      `with moved as (delete from device_events_default where ts >= ? and ts < ? returning *) insert into "${name}" select * from moved`,
      [new Date(day), new Date(day + DAY_MS)],
    );
    await execute(em, `alter table device_events attach partition "${name}" for values from ('${from}') to ('${to}')`);
  }

  private async deleteSlices(sql: string, bindings: (number | Date)[]): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await execute(this.em.fork(), sql, [...bindings, DELETE_SLICE]);
      total += deleted;
      if (deleted < DELETE_SLICE) return total;
    }
  }
}
