import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { deviceActor, SYSTEM_ACTOR } from '../../audit/actor';
import { StoredDeviceEvent } from '../../devices/device-event-hook';
import { Dialect, execute, placeholders, queryRows, toDate } from '../../telemetry/sql';
import { CARE_ALERT, CARE_WATCH_DEVICE_TYPES } from '../alert-kinds';
import { DevicePlacements } from '../engine/device-placements';
import { AlarmWriter, ClearInput, RaiseInput, RaisedAlert } from '../lifecycle/alarm-writer';
import { RuleBook } from '../rules/rule-book';
import { openKeyOf } from '../rules/rule-definition';

/** How long the set of watched devices is kept in memory; a registration made in this process applies at once. */
export const WATCHED_TTL_MS = 5_000;
/** Subjects raised per transaction. */
const SLICE = 500;

interface OverdueRow {
  id: string;
  quiet_hours: number | string;
  last_activity_at: unknown;
  compound_id: string | null;
  grid_id: string | null;
}

/**
 * Care watch (三社联动): any stored event or telemetry of a watched door contact or water meter is
 * activity; it moves the subject's lastActivityAt and clears an open care alert. The sweeper
 * raises 'care.no_activity' on the subject's first watched device once the household has been
 * silent for its quiet hours, once per silence: a subject with an alert raised since its last
 * activity (open, or cleared by hand) is not raised again until there is new activity.
 */
@Injectable()
export class CareWatch {
  private readonly logger = new Logger(CareWatch.name);
  private readonly dialect: Dialect;
  private watched?: { ids: ReadonlySet<string>; loadedAt: number };

  constructor(
    @Inject(DATABASE_SETTINGS) settings: DatabaseSettings,
    private readonly em: EntityManager,
    private readonly ruleBook: RuleBook,
    private readonly placements: DevicePlacements,
    private readonly writer: AlarmWriter,
  ) {
    this.dialect = driverOf(settings);
  }

  /** Registrations changed in this process. */
  invalidate(): void {
    this.watched = undefined;
  }

  /** Inside the ingest's transaction: activity of watched devices in a stored batch. */
  async recordActivity(em: EntityManager, events: readonly StoredDeviceEvent[]): Promise<void> {
    const candidates = events.filter((e) => CARE_WATCH_DEVICE_TYPES.includes(e.deviceType));
    if (candidates.length === 0) return;
    const watched = await this.watchedDevices(em);
    const active = candidates.filter((e) => watched.has(e.deviceId));
    if (active.length === 0) return;
    const deviceIds = [...new Set(active.map((e) => e.deviceId))].sort();
    const at = new Date(Math.max(...active.map((e) => e.receivedAt.getTime())));
    const subjectsOf = `select care_subject_id from care_watch_devices where device_id in (${placeholders(deviceIds.length)})`;
    await execute(
      em,
      `update care_subjects set last_activity_at = ?, updated_at = ? where active = ? and last_activity_at < ? and id in (${subjectsOf})`,
      [at, at, true, at, ...deviceIds],
    );
    const open = await queryRows<{ device_id: string }>(
      em,
      `select a.device_id from alerts a where a.alert_type = ? and a.open_key is not null
       and a.device_id in (select w.device_id from care_watch_devices w where w.care_subject_id in (${subjectsOf}))`,
      [CARE_ALERT.type, ...deviceIds],
    );
    if (open.length === 0) return;
    const first = active[0];
    const clears: ClearInput[] = open.map((r) => ({
      openKey: openKeyOf(r.device_id, CARE_ALERT.type),
      reason: 'activity at the watched household',
      kinds: ['care_watch'],
      actor: deviceActor(first.deviceId, first.deviceCode),
      details: { activityAt: at.toISOString() },
    }));
    await this.writer.clearByRule(em, clears);
  }

  /** Raises the care alerts that are due at `now`; each slice in its own transaction. */
  async sweep(now = new Date()): Promise<RaisedAlert[]> {
    const raised: RaisedAlert[] = [];
    for (;;) {
      const slice = await this.em.fork().transactional(async (tx) => {
        const overdue = await this.overdue(tx, now);
        return { raised: await this.raiseFor(tx, overdue, now), rows: overdue.length };
      });
      raised.push(...slice.raised);
      if (slice.rows < SLICE) break;
    }
    if (raised.length > 0) this.logger.log({ raised: raised.length }, 'care-watch alerts raised');
    return raised;
  }

  private async overdue(em: EntityManager, now: Date): Promise<OverdueRow[]> {
    const due =
      this.dialect === 'postgresql'
        ? `s.last_activity_at <= ?::timestamptz - s.quiet_hours * interval '1 hour'`
        : `s.last_activity_at <= ? - s.quiet_hours * 3600000`;
    // Several sweepers (ingest instances) skip each other's rows; the not-exists keeps it to one alert per silence.
    const lock = this.dialect === 'postgresql' ? ' for update of s skip locked' : '';
    return queryRows<OverdueRow>(
      em,
      `select s.id, s.quiet_hours, s.last_activity_at, s.compound_id, s.grid_id from care_subjects s
       where s.active = ? and ${due}
         and exists (select 1 from care_watch_devices w where w.care_subject_id = s.id)
         and not exists (
           select 1 from care_watch_devices w join alerts a on a.device_id = w.device_id
           where w.care_subject_id = s.id and a.alert_type = ? and a.raised_at >= s.last_activity_at)
       order by s.id limit ${SLICE}${lock}`,
      [true, now, CARE_ALERT.type],
    );
  }

  private async raiseFor(em: EntityManager, subjects: readonly OverdueRow[], now: Date): Promise<RaisedAlert[]> {
    if (subjects.length === 0) return [];
    const ids = subjects.map((s) => s.id);
    const links = await queryRows<{ care_subject_id: string; device_id: string }>(
      em,
      `select care_subject_id, device_id from care_watch_devices where care_subject_id in (${placeholders(ids.length)}) order by care_subject_id, device_id`,
      ids,
    );
    const firstDevice = new Map<string, string>();
    for (const link of links) if (!firstDevice.has(link.care_subject_id)) firstDevice.set(link.care_subject_id, link.device_id);
    const placements = await this.placements.load(em, firstDevice.values());
    const snapshot = await this.ruleBook.current(em);
    const inputs: RaiseInput[] = [];
    for (const subject of subjects) {
      const deviceId = firstDevice.get(subject.id);
      const placement = deviceId ? placements.get(deviceId) : undefined;
      if (!placement) continue;
      const rule = snapshot.rulesFor(placement.deviceType, placement).careWatch;
      if (!rule) continue;
      const lastActivityAt = toDate(subject.last_activity_at);
      const quietHours = Number(subject.quiet_hours);
      inputs.push({
        rule,
        placement: { ...placement, compoundId: subject.compound_id ?? placement.compoundId, gridId: subject.grid_id ?? placement.gridId },
        at: now,
        data: {
          careSubjectId: subject.id,
          quietHours,
          lastActivityAt: lastActivityAt.toISOString(),
          silentHours: Math.floor((now.getTime() - lastActivityAt.getTime()) / 360_000) / 10,
        },
        actor: SYSTEM_ACTOR,
      });
    }
    return this.writer.raise(em, inputs);
  }

  private async watchedDevices(em: EntityManager): Promise<ReadonlySet<string>> {
    const now = Date.now();
    if (this.watched && now - this.watched.loadedAt < WATCHED_TTL_MS) return this.watched.ids;
    const rows = await queryRows<{ device_id: string }>(
      em,
      `select distinct w.device_id from care_watch_devices w join care_subjects s on s.id = w.care_subject_id where s.active = ?`,
      [true],
    );
    const ids = new Set(rows.map((r) => r.device_id));
    this.watched = { ids, loadedAt: now };
    return ids;
  }
}
