import { EntityManager } from '@mikro-orm/knex';
import { IngestRejection } from '@sc/core/telemetry/entities/ingest-rejection.entity';
import { queryRows, toDate } from '@sc/core/telemetry/sql';

/** Reads of the ingest's tables for assertions, straight from the database. */

export interface EventRow {
  msgId: string;
  channel: string;
  type: string | null;
  ts: Date;
  /** As stored: values (telemetry) or data (event). */
  payload: Record<string, unknown>;
}

export async function storedEvents(em: EntityManager, deviceId: string): Promise<EventRow[]> {
  const rows = await queryRows<{ msg_id: string; channel: string; type: string | null; ts: unknown; payload: unknown }>(
    em,
    'select msg_id, channel, type, ts, payload from device_events where device_id = ? order by msg_id',
    [deviceId],
  );
  return rows.map((r) => ({
    msgId: r.msg_id,
    channel: r.channel,
    type: r.type,
    ts: toDate(r.ts),
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  }));
}

/** Every text column of device_events and ingest_rejections, concatenated: for "the raw value is nowhere". */
export async function allStoredText(em: EntityManager): Promise<string> {
  const events = await queryRows<Record<string, unknown>>(em, 'select * from device_events');
  const rejections = await queryRows<Record<string, unknown>>(em, 'select * from ingest_rejections');
  return JSON.stringify([events, rejections]);
}

export async function rejections(em: EntityManager, where: { deviceCode?: string } = {}): Promise<IngestRejection[]> {
  return em.find(IngestRejection, where.deviceCode ? { deviceCode: where.deviceCode } : {}, { orderBy: { receivedAt: 'asc' } });
}

export interface DevicePresence {
  online: boolean | null;
  lastSeenAt: Date | null;
  battery: number | null;
  rssi: number | null;
  firmware: string | null;
}

export async function presenceOf(em: EntityManager, deviceId: string): Promise<DevicePresence> {
  const [row] = await queryRows<Record<string, unknown>>(em, 'select online, last_seen_at, battery, rssi, firmware from devices where id = ?', [deviceId]);
  return {
    online: row.online === null ? null : row.online === true || row.online === 1,
    lastSeenAt: row.last_seen_at === null ? null : toDate(row.last_seen_at),
    battery: row.battery as number | null,
    rssi: row.rssi as number | null,
    firmware: row.firmware as string | null,
  };
}
