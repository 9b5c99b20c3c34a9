import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { addJob, JOBS } from '@sc/messaging';
import { Actor, SYSTEM_ACTOR } from '../../audit/actor';
import { AuditLog, AuditRecord } from '../../audit/audit-log';
import { PlannedWrites } from '../../shared/planned-writes';
import { AlertCategory, AlertSeverity, LocalisedName } from '../../devices/device-type';
import { Outbox } from '../../outbox/outbox';
import { newId } from '../../shared/ids';
import { compareText } from '../../shared/compare-text';
import { Binding, chunks, Dialect, placeholders, queryRows } from '../../telemetry/sql';
import { RuleKind } from '../alert-kinds';
import { AlertPlacement } from '../engine/device-placements';
import { openKeyOf } from '../rules/rule-definition';
import { CommitHooks } from './commit-signal';
import { ContinuationMemo } from './continuation-memo';

export { CONTINUATION_WRITE_INTERVAL_MS } from './continuation-memo';

/** What raised an alert: enough of the rule to name and classify it. */
export interface AlarmRuleRef {
  alertType: string;
  kind: RuleKind;
  ruleId?: string;
  severity: AlertSeverity;
  category: AlertCategory;
  name: LocalisedName;
}

export interface RaiseInput {
  rule: AlarmRuleRef;
  placement: AlertPlacement;
  /** Device time of the occurrence. */
  at: Date;
  msgId?: string;
  data?: Record<string, unknown>;
  actor: Actor;
}

export interface RaisedAlert {
  alertId: string;
  openKey: string;
  deviceId: string;
  alertType: string;
  isNew: boolean;
  count: number;
}

export interface ClearInput {
  openKey: string;
  /** Stored as the alert's clear reason; one statement per distinct reason, so keep it general. */
  reason: string;
  /** Only alerts raised by these rule kinds (absent: any). */
  kinds?: readonly RuleKind[];
  actor: Actor;
  /** Specifics for the audit entry (the value back within its limit, the clearing event). */
  details?: Record<string, unknown>;
}

export interface ClearedAlert {
  alertId: string;
  openKey: string;
  fromState: 'active' | 'acknowledged';
}

const COLUMNS = [
  'id',
  'open_key',
  'device_id',
  'alert_type',
  'rule_kind',
  'rule_id',
  'name_zh',
  'name_en',
  'severity',
  'category',
  'status',
  'community_id',
  'community_path',
  'compound_id',
  'grid_id',
  'count',
  'raised_at',
  'last_seen_at',
  'source_msg_id',
  'data',
  'created_at',
  'updated_at',
] as const;

interface Folded {
  id: string;
  openKey: string;
  first: RaiseInput;
  lastAt: Date;
  count: number;
}

/** Rule kinds whose occurrences are readings of a condition that goes on, not separate events. */
export const CONDITION_KINDS: readonly RuleKind[] = ['threshold', 'duration'];

/**
 * The alarm lifecycle in the database. Raising is one multi-row INSERT ... ON CONFLICT
 * (open_key) DO UPDATE: the unique index on open_key lets at most one alert per (device, type)
 * be open, whatever the concurrency, and a repeat only adds to count and last seen. RETURNING
 * tells new rows (the id we proposed came back) from repeats. New alerts get an audit entry and
 * a route job in the outbox, in the caller's transaction; repeats an audit entry with the count.
 * Clearing by rule is one conditional UPDATE per reason (open_key → NULL frees the key).
 * A reading that keeps a threshold or duration alert open is the same condition going on: it
 * adds to count and last seen but is not audited (the raise and the clear are), and within
 * CONTINUATION_WRITE_INTERVAL_MS of this process's last write the engine skips it altogether.
 */
@Injectable()
export class AlarmWriter {
  private readonly logger = new Logger(AlarmWriter.name);
  private readonly dialect: Dialect;
  private readonly memo = new ContinuationMemo();

  constructor(
    @Inject(DATABASE_SETTINGS) settings: DatabaseSettings,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly commitHooks: CommitHooks,
  ) {
    this.dialect = driverOf(settings);
  }

  /** Whether this process wrote the open condition alert of `openKey` lately (see CONTINUATION_WRITE_INTERVAL_MS). */
  knownOpen(openKey: string, now = Date.now()): boolean {
    return this.memo.fresh(openKey, now);
  }

  /** An alert of these keys was cleared (by hand, in this process): the next reading must write. */
  forget(openKeys: readonly string[]): void {
    this.memo.forget(openKeys);
  }

  async raise(em: EntityManager, inputs: readonly RaiseInput[]): Promise<RaisedAlert[]> {
    if (inputs.length === 0) return [];
    const folded = fold(inputs);
    const results: RaisedAlert[] = [];
    const greatest = this.dialect === 'postgresql' ? 'greatest' : 'max';
    const now = new Date();
    for (const part of chunks(folded, COLUMNS.length)) {
      const bindings: Binding[] = part.flatMap((row) => {
        const { rule, placement } = row.first;
        return [
          row.id,
          row.openKey,
          placement.deviceId,
          rule.alertType,
          rule.kind,
          rule.ruleId ?? null,
          rule.name.zh,
          rule.name.en,
          rule.severity,
          rule.category,
          'active',
          placement.communityId,
          placement.communityPath,
          placement.compoundId ?? null,
          placement.gridId ?? null,
          row.count,
          row.first.at,
          row.lastAt,
          row.first.msgId ?? null,
          row.first.data === undefined ? null : JSON.stringify(row.first.data),
          now,
          now,
        ];
      });
      const rows = await queryRows<{ id: string; open_key: string; count: number | string }>(
        em,
        `insert into alerts (${COLUMNS.join(', ')}) values ${part.map(() => `(${placeholders(COLUMNS.length)})`).join(', ')}
         on conflict (open_key) do update set
           count = alerts.count + excluded.count,
           last_seen_at = ${greatest}(alerts.last_seen_at, excluded.last_seen_at),
           updated_at = excluded.updated_at
         returning id, open_key, count`,
        bindings,
      );
      const byKey = new Map(part.map((row) => [row.openKey, row]));
      for (const r of rows) {
        const row = byKey.get(r.open_key);
        if (!row) continue;
        results.push({
          alertId: r.id,
          openKey: r.open_key,
          deviceId: row.first.placement.deviceId,
          alertType: row.first.rule.alertType,
          isNew: r.id === row.id,
          count: Number(r.count),
        });
      }
    }
    const byKey = new Map(folded.map((f) => [f.openKey, f]));
    await this.recordRaised(em, results, byKey);
    const conditions = results.filter((r) => CONDITION_KINDS.includes(byKey.get(r.openKey)?.first.rule.kind ?? 'event')).map((r) => r.openKey);
    if (conditions.length > 0) this.commitHooks.onCommit(em, () => this.memo.remember(conditions, Date.now()));
    return results;
  }

  private async recordRaised(em: EntityManager, results: readonly RaisedAlert[], folded: ReadonlyMap<string, Folded>): Promise<void> {
    const records: AuditRecord[] = [];
    const fresh: RaisedAlert[] = [];
    for (const result of results) {
      const row = folded.get(result.openKey);
      if (!row) continue;
      const { rule } = row.first;
      if (result.isNew) {
        fresh.push(result);
        records.push({
          subjectType: 'alert',
          subjectId: result.alertId,
          action: 'raised',
          actor: row.first.actor,
          toState: 'active',
          details: { alertType: rule.alertType, ruleKind: rule.kind, ruleId: rule.ruleId, severity: rule.severity, deviceId: result.deviceId, count: result.count, msgId: row.first.msgId },
        });
      } else if (!CONDITION_KINDS.includes(rule.kind)) {
        records.push({
          subjectType: 'alert',
          subjectId: result.alertId,
          action: 'repeated',
          actor: row.first.actor,
          details: { count: result.count, added: row.count, lastSeenAt: row.lastAt.toISOString() },
        });
      }
    }
    // The entries and the route jobs go as one statement.
    const writes = new PlannedWrites();
    writes.add(this.audit.statements(em, records));
    // Handed to the alerts queue by this process right after the commit when it has queues (the ingest does).
    const handOver = this.outbox.planForHandover(
      em,
      writes,
      fresh.map((r) => addJob(JOBS.routeAlert, { alertId: r.alertId })),
    );
    await writes.run(em, this.dialect);
    if (fresh.length > 0) {
      this.commitHooks.onCommit(em, handOver);
      for (const r of fresh) this.logger.debug({ alertId: r.alertId, deviceId: r.deviceId, alertType: r.alertType }, 'alert raised');
    }
  }

  /** Clears the open alerts of these keys (by rule), in as few statements as there are reasons. */
  async clearByRule(em: EntityManager, inputs: readonly ClearInput[]): Promise<ClearedAlert[]> {
    if (inputs.length === 0) return [];
    const keys = inputs.map((i) => i.openKey);
    // Now, and again at commit after whatever an earlier raise of this transaction remembers then.
    this.memo.forget(keys);
    this.commitHooks.onCommit(em, () => this.memo.forget(keys));
    const groups = new Map<string, ClearInput[]>();
    for (const input of inputs) {
      const key = `${input.reason}\u0000${input.kinds?.join(',') ?? '*'}`;
      const list = groups.get(key);
      if (list) list.push(input);
      else groups.set(key, [input]);
    }
    const now = new Date();
    const cleared: ClearedAlert[] = [];
    const records: AuditRecord[] = [];
    for (const group of groups.values()) {
      const byKey = new Map(group.map((g) => [g.openKey, g]));
      const keys = [...byKey.keys()].sort(compareText);
      const { reason, kinds } = group[0];
      for (const part of chunks(keys, 1)) {
        const kindFilter = kinds ? ` and rule_kind in (${placeholders(kinds.length)})` : '';
        const rows = await queryRows<{ id: string; open_key_was: string; acknowledged_at: unknown }>(
          em,
          `update alerts set open_key = null, status = 'cleared', cleared_at = ?, cleared_by = 'rule', clear_reason = ?, updated_at = ?
           where open_key in (${placeholders(part.length)})${kindFilter}
           returning id, device_id || '/' || alert_type as open_key_was, acknowledged_at`,
          [now, reason.slice(0, 300), now, ...part, ...(kinds ?? [])],
        );
        for (const r of rows) {
          const input = byKey.get(r.open_key_was);
          const fromState = r.acknowledged_at === null || r.acknowledged_at === undefined ? 'active' : 'acknowledged';
          cleared.push({ alertId: r.id, openKey: r.open_key_was, fromState });
          records.push({
            subjectType: 'alert',
            subjectId: r.id,
            action: 'cleared',
            actor: input?.actor ?? SYSTEM_ACTOR,
            fromState,
            toState: 'cleared',
            text: reason,
            details: { clearedBy: 'rule', ...(input?.details ?? {}) },
          });
        }
      }
    }
    await this.audit.insert(em, records);
    return cleared;
  }
}

/** One row per open key: the first occurrence names the alert, the last sets last seen, the number adds to count. */
function fold(inputs: readonly RaiseInput[]): Folded[] {
  const byKey = new Map<string, Folded>();
  for (const input of inputs) {
    const openKey = openKeyOf(input.placement.deviceId, input.rule.alertType);
    const row = byKey.get(openKey);
    if (!row) {
      byKey.set(openKey, { id: newId(), openKey, first: input, lastAt: input.at, count: 1 });
      continue;
    }
    row.count += 1;
    if (input.at < row.first.at) row.first = input;
    if (input.at > row.lastAt) row.lastAt = input.at;
  }
  // One key order for every writer: concurrent batches lock the same rows in the same order.
  return [...byKey.values()].sort((a, b) => compareText(a.openKey, b.openKey));
}
