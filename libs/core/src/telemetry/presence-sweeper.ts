import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { PresenceChange, PresenceReason } from '../devices/device-event-hook';
import { DeviceEventHooks } from '../devices/device-event-hooks';
import { DEVICE_TYPES } from '../devices/device-types.catalogue';
import { DeviceTypeSpec } from '../devices/device-type';
import { INGEST_SETTINGS, IngestSettings } from './ingest-settings';
import { queryRows } from './sql';

/** How long past its heartbeat interval a device may stay silent: two missed beats plus a minute for slow links. */
export function offlineAfterMs(type: DeviceTypeSpec): number {
  return (type.heartbeatSeconds * 2 + 60) * 1000;
}

/** Changes per transaction: a whole city going dark is signalled in slices, not one huge transaction. */
const SLICE = 1000;

interface DeviceRow {
  id: string;
  code: string;
  type: string;
}

/**
 * Marks silent devices offline: online devices whose last message is older than their type
 * allows, and provisioned devices that never spoke within the grace period. Each slice is one
 * conditional update (`... and online = true` / `online is null`) whose RETURNING rows are
 * handed to the rule hooks in the same transaction, so however many ingest instances sweep at
 * once, each device's change is made and signalled exactly once. Disabled devices are left as
 * they are: presence is tracked for devices in service.
 */
@Injectable()
export class PresenceSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly hooks: DeviceEventHooks,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {}

  /** The changes made by this sweep. */
  async sweep(now = new Date()): Promise<PresenceChange[]> {
    const changes: PresenceChange[] = [];
    for (const type of DEVICE_TYPES) {
      const cutoff = new Date(now.getTime() - offlineAfterMs(type));
      changes.push(
        ...(await this.sweepSlices(
          'heartbeat_timeout',
          now,
          `type = ? and enabled = ? and online = ? and last_seen_at < ?`,
          [type.code, true, true, cutoff],
        )),
      );
    }
    const graceCutoff = new Date(now.getTime() - this.settings.neverSeenGraceMinutes * 60_000);
    changes.push(...(await this.sweepSlices('never_seen', now, `online is null and enabled = ? and provisioned_at < ?`, [true, graceCutoff])));
    return changes;
  }

  private async sweepSlices(reason: PresenceReason, now: Date, where: string, bindings: (string | boolean | Date)[]): Promise<PresenceChange[]> {
    const all: PresenceChange[] = [];
    for (;;) {
      const slice = await this.em.fork().transactional(async (tx) => {
        // The condition is repeated outside the sub-select: under concurrent sweeps PostgreSQL
        // re-checks it on the latest row version, so a device changed meanwhile is skipped.
        const rows = await queryRows<DeviceRow>(
          tx,
          `update devices set online = ?, presence_changed_at = ?
           where id in (select id from devices where ${where} limit ${SLICE}) and ${where}
           returning id, code, type`,
          [false, now, ...bindings, ...bindings],
        );
        const changes = rows.map((r): PresenceChange => ({ deviceId: r.id, deviceCode: r.code, deviceType: r.type, online: false, at: now, reason }));
        await this.hooks.emitPresence(changes, tx);
        return changes;
      });
      all.push(...slice);
      if (slice.length < SLICE) return all;
    }
  }
}
