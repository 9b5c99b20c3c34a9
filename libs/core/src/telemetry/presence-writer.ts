import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { PresenceChange, PresenceReason } from '../devices/device-event-hook';
import { compareText } from '../shared/compare-text';
import { DirectoryEntry } from './device-directory';
import { Binding, chunks, Dialect, execute, inList, LooseRow, queryRows, Statement, toBoolean } from './sql';

/** One accepted message's bearing on its device's presence. */
export interface PresenceInput {
  device: DirectoryEntry;
  at: Date;
  kind: 'message' | 'heartbeat' | 'status_online' | 'status_offline';
  battery?: number;
  rssi?: number;
  fw?: string;
}

/**
 * How stale last_seen_at may get while a device keeps talking: a busy device's row is written at
 * most this often, not once per message. Far below the offline allowance (two heartbeats plus a
 * minute, at least 3 minutes), so the sweeper never mistakes it for silent.
 */
export const SEEN_WRITE_INTERVAL_MS = 15_000;
const MEMORY_LIMIT = 100_000;

interface DeviceFold {
  device: DirectoryEntry;
  /** Latest time heard from (status offline does not count: the broker speaks for the device). */
  seenAt?: Date;
  battery?: number;
  rssi?: number;
  fw?: string;
  /** Where the batch leaves the device, and the kind of message that put it there. */
  online: boolean;
  reason: PresenceReason;
  /** A heartbeat or status is always written; telemetry and events only when the row is stale. */
  mustWrite: boolean;
}

/** What this instance last wrote for a device, so a busy device is not rewritten per message. */
interface Written {
  at: number;
  online: boolean;
}

/** The presence work of one batch: written in its transaction, remembered after its commit. */
export interface PresencePlan {
  rows: DeviceFold[];
  now: Date;
}

function fold(inputs: readonly PresenceInput[]): DeviceFold[] {
  const byDevice = new Map<string, DeviceFold>();
  for (const input of inputs) {
    const current = byDevice.get(input.device.id) ?? { device: input.device, online: true, reason: 'message', mustWrite: false };
    if (input.kind === 'status_offline') {
      current.online = false;
      current.reason = 'status_offline';
      current.mustWrite = true;
    } else {
      current.online = true;
      current.reason = input.kind;
      if (input.kind !== 'message') current.mustWrite = true;
      if (!current.seenAt || current.seenAt < input.at) current.seenAt = input.at;
      if (input.battery !== undefined) current.battery = Math.round(input.battery);
      if (input.rssi !== undefined) current.rssi = Math.round(input.rssi);
      if (input.fw !== undefined) current.fw = input.fw;
    }
    byDevice.set(input.device.id, current);
  }
  return [...byDevice.values()];
}

/**
 * Presence of a batch's devices in two statements (on PostgreSQL one, `statement()`): the
 * devices' current state is read (locked on PostgreSQL, in id order, so concurrent writers
 * neither deadlock nor miss each other's changes), then one update over a VALUES list sets last
 * seen, heartbeat readings and online.
 * A device coming back (false → true) or going away (→ false) is returned as a change, once.
 * A device's first words (null → true) are not a change: nothing was signalled before.
 */
@Injectable()
export class PresenceWriter {
  private readonly dialect: Dialect;
  private readonly written = new Map<string, Written>();

  constructor(@Inject(DATABASE_SETTINGS) settings: DatabaseSettings) {
    this.dialect = driverOf(settings);
  }

  plan(inputs: readonly PresenceInput[], now: Date): PresencePlan {
    const rows = fold(inputs).filter((row) => {
      const last = this.written.get(row.device.id);
      // Telemetry from a device this instance saw online moments ago changes nothing worth a write.
      return row.mustWrite || !last || !last.online || now.getTime() - last.at >= SEEN_WRITE_INTERVAL_MS;
    });
    return { rows, now };
  }

  async apply(em: EntityManager, plan: PresencePlan): Promise<PresenceChange[]> {
    const changes: PresenceChange[] = [];
    for (const part of chunks(inIdOrder(plan.rows), 7)) {
      if (part.length === 0) continue;
      const ids = part.map((r) => r.device.id);
      const where = inList(this.dialect, 'id', ids, 'uuid');
      // PostgreSQL locks the rows in id order (SQLite's single writer needs no lock).
      const lock = this.dialect === 'postgresql' ? ' order by id for no key update' : '';
      const current = await queryRows<{ id: string; online: unknown }>(em, `select id, online from devices where ${where.sql}${lock}`, where.bindings);
      const was = new Map(current.map((r) => [r.id, toBoolean(r.online)]));
      const changedAt = new Map<string, Date>();
      for (const row of part) if ((was.get(row.device.id) ?? null) !== row.online) changedAt.set(row.device.id, plan.now);
      changes.push(...changesOf(part, was, plan.now));
      await this.update(em, part, changedAt);
    }
    return changes;
  }

  /**
   * apply() as one statement for the batch's other writes (PlannedWrites), PostgreSQL only: the
   * update locks its rows in id order in a subquery, which also answers each device's online
   * state before it, so the changes come from its rows (`changes`) and the read costs no round
   * trip of its own. Under a concurrent writer the lock waits and the subquery answers the row
   * as that writer committed it, as apply()'s locked read does.
   */
  statement(plan: PresencePlan): { statement?: Statement; changes: (rows: readonly LooseRow[]) => PresenceChange[] } {
    if (this.dialect !== 'postgresql') throw new Error('PresenceWriter.statement is for PostgreSQL; use apply()');
    const rows = inIdOrder(plan.rows);
    if (rows.length === 0) return { changes: () => [] };
    const ids = rows.map((r) => r.device.id);
    const document = JSON.stringify(rows.map((r) => ({ id: r.device.id, seen: r.seenAt ?? null, battery: r.battery ?? null, rssi: r.rssi ?? null, fw: r.fw ?? null, online: r.online })));
    return {
      statement: {
        sql: `update devices as d set ${setClause('case when was.online is distinct from v.online then ?::timestamptz else d.presence_changed_at end')}
              from (select id, online from devices where id = any(?::uuid[]) order by id for no key update) as was,
                   json_to_recordset(?::json) as v(id uuid, seen timestamptz, battery smallint, rssi smallint, fw varchar, online boolean)
              where d.id = was.id and d.id = v.id and d.id = any(?::uuid[])
              returning d.id, was.online as was_online`,
        // The ids again for the update itself, as update() has them (primary key reads whatever the planner guesses).
        bindings: [plan.now, ids, document, ids],
        returning: true,
      },
      changes: (answered) => changesOf(rows, new Map(answered.map((r) => [String(r.id), toBoolean(r.was_online)])), plan.now),
    };
  }

  /** After the commit: what is now in the database, as far as this instance knows. */
  remember(plan: PresencePlan): void {
    for (const row of plan.rows) {
      this.written.delete(row.device.id);
      this.written.set(row.device.id, { at: plan.now.getTime(), online: row.online });
    }
    while (this.written.size > MEMORY_LIMIT) {
      const oldest = this.written.keys().next();
      if (oldest.done) break;
      this.written.delete(oldest.value);
    }
  }

  /** Forgets what was written (another writer, a test, changed rows behind this instance's back). */
  forget(): void {
    this.written.clear();
  }

  private async update(em: EntityManager, rows: readonly DeviceFold[], changedAt: ReadonlyMap<string, Date>): Promise<void> {
    const set = setClause('coalesce(v.changed_at, d.presence_changed_at)');
    if (this.dialect === 'postgresql') {
      // One JSON document for the batch, as the events' insert does (EventStore). The ids again as
      // an array: the planner guesses 100 rows for a function scan, and where the devices' statistics
      // are stale (a pilot's devices just imported) it hash-joined a scan of the whole table, every
      // batch; `= any(ids)` is estimated from the array itself and always reads the primary key.
      const document = JSON.stringify(
        rows.map((r) => ({ id: r.device.id, seen: r.seenAt ?? null, battery: r.battery ?? null, rssi: r.rssi ?? null, fw: r.fw ?? null, online: r.online, changed_at: changedAt.get(r.device.id) ?? null })),
      );
      await execute(
        em,
        `update devices as d set ${set}
         from json_to_recordset(?::json) as v(id uuid, seen timestamptz, battery smallint, rssi smallint, fw varchar, online boolean, changed_at timestamptz)
         where d.id = v.id and d.id = any(?::uuid[])`,
        [document, rows.map((r) => r.device.id)],
      );
      return;
    }
    const bindings: Binding[] = rows.flatMap((r) => [
      r.device.id,
      r.seenAt ?? null,
      r.battery ?? null,
      r.rssi ?? null,
      r.fw ?? null,
      r.online,
      changedAt.get(r.device.id) ?? null,
    ]);
    await execute(
      em,
      `update devices as d set ${set}
       from (select column1 as id, column2 as seen, column3 as battery, column4 as rssi, column5 as fw, column6 as online, column7 as changed_at from (values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')})) as v
       where d.id = v.id`,
      bindings,
    );
  }
}

function inIdOrder(rows: readonly DeviceFold[]): DeviceFold[] {
  return [...rows].sort((a, b) => compareText(a.device.id, b.device.id));
}

/**
 * The changes a write signals, from each device's online state before it (`was`; a device
 * missing there has no row). Coming back (false → true) and going away (→ false) are changes;
 * a device's first words (null → true) are not: nothing was signalled before.
 */
function changesOf(rows: readonly DeviceFold[], was: ReadonlyMap<string, boolean | null>, at: Date): PresenceChange[] {
  return rows.flatMap((row): PresenceChange[] => {
    if (!was.has(row.device.id)) return [];
    const before = was.get(row.device.id) ?? null;
    const signalled = row.online ? before === false : before !== false;
    return signalled ? [{ deviceId: row.device.id, deviceCode: row.device.code, deviceType: row.device.type, online: row.online, at, reason: row.reason }] : [];
  });
}

/** What a write sets; `changedAt`: the expression of presence_changed_at. */
function setClause(changedAt: string): string {
  return `
         last_seen_at = case when v.seen is not null and (d.last_seen_at is null or d.last_seen_at < v.seen) then v.seen else d.last_seen_at end,
         battery = coalesce(v.battery, d.battery),
         rssi = coalesce(v.rssi, d.rssi),
         firmware = coalesce(v.fw, d.firmware),
         online = v.online,
         presence_changed_at = ${changedAt}`;
}
