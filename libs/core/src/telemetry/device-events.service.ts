import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { findVisibleDevice } from '../devices/device-access';
import { Scope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { Binding, queryRows, toDate } from './sql';

export interface DeviceEventQuery {
  /** Device time, inclusive. */
  from?: Date;
  /** Device time, exclusive. */
  to?: Date;
  limit?: number;
}

/** A stored telemetry message or event, as operators read it. */
export interface DeviceEventRecord {
  msgId: string;
  channel: 'telemetry' | 'event';
  type?: string;
  ts: Date;
  receivedAt: Date;
  values?: Record<string, number>;
  /** Personal identifiers are pseudonyms already: the raw value was never stored. */
  data?: Record<string, unknown>;
}

export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1000;

interface EventRow {
  msg_id: string;
  channel: 'telemetry' | 'event';
  type: string | null;
  ts: unknown;
  received_at: unknown;
  payload: unknown;
}

/** Reads of device_events, newest device time first, for devices in the caller's scope. */
@Injectable()
export class DeviceEventsService {
  constructor(private readonly em: EntityManager) {}

  async list(scope: Scope, deviceId: string, query: DeviceEventQuery): Promise<{ items: DeviceEventRecord[]; limit: number }> {
    const em = this.em.fork();
    const device = await findVisibleDevice(em, scope, deviceId);
    if (query.from && query.to && query.from >= query.to) throw DomainError.validation('from must be before to', 'from');
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_EVENT_LIMIT, 1), MAX_EVENT_LIMIT);
    const where = ['device_id = ?'];
    const bindings: Binding[] = [device.id];
    if (query.from) {
      where.push('ts >= ?');
      bindings.push(query.from);
    }
    if (query.to) {
      where.push('ts < ?');
      bindings.push(query.to);
    }
    const rows = await queryRows<EventRow>(
      em,
      `select msg_id, channel, type, ts, received_at, payload from device_events where ${where.join(' and ')} order by ts desc, msg_id desc limit ?`,
      [...bindings, limit],
    );
    return { items: rows.map(toRecord), limit };
  }
}

function toRecord(row: EventRow): DeviceEventRecord {
  // jsonb arrives parsed (pg), json as text (SQLite).
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>;
  const base = { msgId: row.msg_id, channel: row.channel, ts: toDate(row.ts), receivedAt: toDate(row.received_at) };
  return row.channel === 'event'
    ? { ...base, type: row.type ?? undefined, data: payload }
    : { ...base, values: payload as Record<string, number> };
}
