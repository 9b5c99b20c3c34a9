import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { Binding, chunks, Dialect, execute, placeholders, queryRows } from '../../telemetry/sql';

export interface StateKey {
  deviceId: string;
  alertType: string;
}

export type StateValue = Record<string, unknown>;

export const stateKeyOf = (k: StateKey): string => `${k.deviceId}/${k.alertType}`;

const compareKeys = (a: StateKey, b: StateKey) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.alertType < b.alertType ? -1 : a.alertType > b.alertType ? 1 : 0);

/**
 * The memory of duration and repetition rules (alert_rule_states), written in the ingest's
 * transaction so it commits with the events that changed it and survives a restart. On
 * PostgreSQL two batches may run at once. Repetition states are locked (created if missing,
 * locked in key order) so concurrent batches cannot lose each other's occurrences. Duration
 * states are read without a lock: a condition that goes on changes nothing, and which of two
 * concurrent batches of one device comes first is arbitrary anyway; locking them would make
 * every pair of batches with a common sensor wait for each other. SQLite has one writer.
 */
@Injectable()
export class RuleStates {
  private readonly dialect: Dialect;

  constructor(@Inject(DATABASE_SETTINGS) settings: DatabaseSettings) {
    this.dialect = driverOf(settings);
  }

  /** The states of `keys` as committed (absent: none yet), without locking them. */
  read(em: EntityManager, keys: readonly StateKey[]): Promise<Map<string, StateValue>> {
    return this.select(em, keys, false);
  }

  /**
   * The states of `keys`, locked for this transaction on PostgreSQL, where a missing row is first
   * created empty so there is a row to lock.
   */
  lock(em: EntityManager, keys: readonly StateKey[]): Promise<Map<string, StateValue>> {
    return this.select(em, keys, this.dialect === 'postgresql');
  }

  private async select(em: EntityManager, keys: readonly StateKey[], lock: boolean): Promise<Map<string, StateValue>> {
    const sorted = unique(keys).sort(compareKeys);
    const out = new Map<string, StateValue>();
    if (sorted.length === 0) return out;
    const now = new Date();
    for (const part of chunks(sorted, 4)) {
      if (lock) {
        await execute(
          em,
          `insert into alert_rule_states (device_id, alert_type, state, updated_at) values ${part.map(() => '(?, ?, ?, ?)').join(', ')} on conflict do nothing`,
          part.flatMap((k) => [k.deviceId, k.alertType, '{}', now]),
        );
      }
      const forUpdate = lock ? ' order by device_id, alert_type for update' : '';
      const rows = await queryRows<{ device_id: string; alert_type: string; state: unknown }>(
        em,
        `select device_id, alert_type, state from alert_rule_states where (device_id, alert_type) in (${part.map(() => '(?, ?)').join(', ')})${forUpdate}`,
        part.flatMap((k) => [k.deviceId, k.alertType]),
      );
      for (const row of rows) {
        const state = typeof row.state === 'string' ? (JSON.parse(row.state) as StateValue) : ((row.state ?? {}) as StateValue);
        out.set(stateKeyOf({ deviceId: row.device_id, alertType: row.alert_type }), state);
      }
    }
    return out;
  }

  async save(em: EntityManager, rows: readonly { key: StateKey; state: StateValue }[]): Promise<void> {
    const sorted = [...rows].sort((a, b) => compareKeys(a.key, b.key));
    const now = new Date();
    for (const part of chunks(sorted, 4)) {
      if (part.length === 0) continue;
      const bindings: Binding[] = part.flatMap((r) => [r.key.deviceId, r.key.alertType, JSON.stringify(r.state), now]);
      await execute(
        em,
        `insert into alert_rule_states (device_id, alert_type, state, updated_at) values ${part.map(() => `(${placeholders(4)})`).join(', ')}
         on conflict (device_id, alert_type) do update set state = excluded.state, updated_at = excluded.updated_at`,
        bindings,
      );
    }
  }

  async remove(em: EntityManager, keys: readonly StateKey[]): Promise<void> {
    const sorted = unique(keys).sort(compareKeys);
    for (const part of chunks(sorted, 2)) {
      if (part.length === 0) continue;
      await execute(
        em,
        `delete from alert_rule_states where (device_id, alert_type) in (${part.map(() => '(?, ?)').join(', ')})`,
        part.flatMap((k) => [k.deviceId, k.alertType]),
      );
    }
  }
}

function unique(keys: readonly StateKey[]): StateKey[] {
  const seen = new Map<string, StateKey>();
  for (const key of keys) seen.set(stateKeyOf(key), key);
  return [...seen.values()];
}
