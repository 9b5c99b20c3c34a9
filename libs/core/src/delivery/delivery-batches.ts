import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { AuditLog, AuditRecord } from '../audit/audit-log';
import { BatchResults } from '../shared/coalescer';
import { valueById } from '../shared/value-by-id';
import { dialectOf, inList, queryRows, runTogether, Statement, toBoolean } from '../telemetry/sql';
import { Delivery } from './entities/delivery.entity';
import { DeliveryTarget } from './entities/delivery-target.entity';

/** What one send reads of its delivery row. */
export type DeliveryRow = Pick<Delivery, 'id' | 'targetId' | 'subjectType' | 'subjectId' | 'event' | 'payload' | 'status' | 'attempts'>;

/** What one send reads of its target. */
export type TargetRow = Pick<DeliveryTarget, 'id' | 'name' | 'channel' | 'url' | 'secretCipher' | 'enabled' | 'ratePerMinute' | 'timeoutMs'>;

/** The rows one send needs, as plain data shared by the jobs of a batch run: read them, never change them. */
export interface SendRows {
  delivery?: Readonly<DeliveryRow>;
  /** Loaded only for a pending delivery. */
  target?: Readonly<TargetRow>;
}

/** A successful POST, to be recorded on its row. */
export interface DeliveredMark {
  deliveryId: string;
  attempts: number;
  status: number;
  /** When the answer came: the row's deliveredAt and updatedAt. */
  at: Date;
  /** Written only if this mark moves the row. */
  audit: AuditRecord;
}

/**
 * The deliveries of `ids` with the targets of the pending ones: two queries for the whole batch,
 * read as plain rows (no entities to build and track: the sender only reads them).
 */
export async function loadSendRows(em: EntityManager, ids: string[]): Promise<BatchResults<string, SendRows>> {
  const deliveries = await em
    .createQueryBuilder(Delivery)
    .select(['id', 'targetId', 'subjectType', 'subjectId', 'event', 'payload', 'status', 'attempts'])
    .where({ id: { $in: ids } })
    .execute<DeliveryRow[]>('all');
  // SQLite hands JSON back as text; the platform parses it as the ORM would.
  const platform = em.getPlatform();
  for (const row of deliveries) row.payload = platform.convertJsonToJSValue(row.payload) as Record<string, unknown>;
  const targetById = await loadTargetRows(em, deliveries.filter((d) => d.status === 'pending').map((d) => d.targetId));
  const deliveryById = new Map(deliveries.map((d) => [d.id, d]));
  return new Map(
    ids.map((id) => {
      const delivery = deliveryById.get(id);
      const target = delivery?.status === 'pending' ? targetById.get(delivery.targetId) : undefined;
      return [id, { delivery, target }];
    }),
  );
}

/** Targets by id, as plain rows (one query; none for no ids). Read at every send, never cached: a disabled target gets nothing more. */
export async function loadTargetRows(em: EntityManager, ids: readonly string[]): Promise<Map<string, TargetRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const where = inList(dialectOf(em), 'id', unique, 'uuid');
  const rows = await queryRows<{ id: string; name: string; channel: TargetRow['channel']; url: string; secret_cipher: string | null; enabled: unknown; rate_per_minute: number; timeout_ms: number }>(
    em,
    `select id, name, channel, url, secret_cipher, enabled, rate_per_minute, timeout_ms from delivery_targets where ${where.sql}`,
    where.bindings,
  );
  return new Map(
    rows.map((t) => [
      t.id,
      { id: t.id, name: t.name, channel: t.channel, url: t.url, secretCipher: t.secret_cipher ?? undefined, enabled: toBoolean(t.enabled) === true, ratePerMinute: Number(t.rate_per_minute), timeoutMs: Number(t.timeout_ms) },
    ]),
  );
}

/**
 * Moves the still-pending rows of `marks` to delivered and writes their audit entries, at once:
 * lock the pending rows in id order (so two overlapping runs wait for each other instead of
 * deadlocking), update exactly those, insert their entries. A row that is no longer pending (a
 * crash repeat got there first) is left alone and gets no entry; its mark resolves to false.
 * `also`: more writes that commit with the marks (a direct run settles its outbox jobs). On
 * PostgreSQL all of it is one statement (runTogether), its own transaction: one round trip
 * instead of six; on SQLite one transaction (its writers are serialised anyway).
 */
export async function markDeliveredRows(
  em: EntityManager,
  audit: AuditLog,
  marks: DeliveredMark[],
  also: readonly Statement[] = [],
): Promise<BatchResults<DeliveredMark, boolean>> {
  // The same row twice in a batch (a crash repeat in this process): only the first one moves it.
  const byId = new Map<string, DeliveredMark>();
  for (const mark of marks) if (!byId.has(mark.deliveryId)) byId.set(mark.deliveryId, mark);
  const rows = [...byId.values()];

  let movedIds: Set<string>;
  if (dialectOf(em) === 'postgresql') {
    const ids = rows.map((r) => r.deliveryId);
    // The ids as an array twice: the rows are read by primary key whatever the planner guesses of the document (see PresenceWriter).
    const [moved] = await runTogether(em, 'postgresql', [
      {
        sql: `update deliveries as d set status = 'delivered', attempts = v.attempts, last_status = v.status, delivered_at = v.at, updated_at = v.at, last_error = null
               from (select id from deliveries where id = any(?::uuid[]) and status = 'pending' order by id for update) as locked,
                    jsonb_to_recordset(?::jsonb) as v(id uuid, attempts integer, status integer, at timestamptz)
              where d.id = locked.id and d.id = v.id and d.id = any(?::uuid[]) returning d.id`,
        bindings: [ids, JSON.stringify(rows.map((r) => ({ id: r.deliveryId, attempts: r.attempts, status: r.status, at: r.at }))), ids],
        returning: true,
      },
      // Entries only for the rows the update (s0) moved.
      ...audit.statements(em, rows.map((r) => r.audit), { onlySubjectsIn: 's0' }),
      ...also,
    ]);
    movedIds = new Set(moved.map((row) => String(row.id)));
  } else {
    movedIds = await em.transactional(async (tx) => {
      const pending = await tx.find(
        Delivery,
        { id: { $in: [...byId.keys()] }, status: 'pending' },
        { fields: ['id'], orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const moving = pending.map((row) => byId.get(row.id)!);
      await runTogether(tx, 'sqlite', also);
      if (moving.length === 0) return new Set<string>();
      const perRow = perRowOf(tx, moving);
      const updated = await tx.nativeUpdate(
        Delivery,
        { id: { $in: moving.map((r) => r.deliveryId) }, status: 'pending' },
        {
          status: 'delivered',
          attempts: perRow('attempts', (r) => r.attempts),
          lastStatus: perRow('lastStatus', (r) => r.status),
          deliveredAt: perRow('deliveredAt', (r) => r.at),
          updatedAt: perRow('updatedAt', (r) => r.at),
          lastError: null,
        },
      );
      // SQLite's single writer keeps the rows pending until here.
      if (updated !== moving.length) throw new Error(`marking ${moving.length} deliveries delivered updated ${updated} rows`);
      await audit.insert(tx, moving.map((r) => r.audit));
      return new Set(moving.map((r) => r.deliveryId));
    });
  }
  return new Map(marks.map((mark) => [mark, byId.get(mark.deliveryId) === mark && movedIds.has(mark.deliveryId)]));
}

/**
 * The value of a column for each row: the value itself when all rows share it (the usual case:
 * first attempt, HTTP 200), else one value per row by id (valueById).
 */
function perRowOf(em: EntityManager, rows: DeliveredMark[]) {
  return <V>(property: keyof Delivery & string, value: (row: DeliveredMark) => V): V => {
    const values = rows.map(value);
    if (values.every((v) => sameValue(v, values[0]))) return values[0];
    return valueById(em, Delivery, property, rows.map((row, i) => [row.deliveryId, values[i]] as const));
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}
