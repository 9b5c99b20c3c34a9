import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { ALERT_SEVERITIES } from '../alerts/alert-kinds';
import { AlertSeverity } from '../devices/device-type';
import { AuditLog } from '../audit/audit-log';
import { actorOf } from '../audit/actor';
import { assertPermission, Principal } from '../identity/principal';
import { Permission, Role } from '../identity/roles';
import { DomainError } from '../shared/domain-error';
import { ReferenceCache } from '../shared/reference-cache';
import { SlaPolicy } from './entities/sla-policy.entity';
import {
  DEFAULT_DESK_SLA,
  DEFAULT_SLA_BY_SEVERITY,
  defaultRemindSeconds,
  defaultTerms,
  DESK_CATEGORY,
  DESK_SLA_KEYS,
  slaKeysOf,
  SlaTerms,
} from './sla-terms';
import { assertCategory } from './work-order-input';

/** What an order's deadlines depend on. */
export interface SlaSubject {
  category: string;
  severity: AlertSeverity;
  documentsComplete?: boolean | null;
}

export interface SlaPolicyInput {
  category: string;
  /** A severity, "*" or absent for every severity; for the desk category "complete" or "incomplete". */
  severity?: string;
  acceptMinutes: number;
  resolveMinutes: number;
  remindMinutes?: number;
  levelFactor?: number;
}

/** One row of the SLA table as the API shows it, in minutes. */
export interface SlaRow {
  id?: string;
  category: string;
  severity: string;
  acceptMinutes: number;
  resolveMinutes: number;
  remindMinutes: number;
  levelFactor: number;
}

/** City-wide deadlines are set by the city or a district, not by a community. */
const SLA_EDITORS: readonly Role[] = [Role.Admin, Role.CityOfficer, Role.DistrictOfficer];

const MAX_MINUTES = 365 * 24 * 60;

/** SLA deadlines: the defaults of DESIGN.md section 5 and the overrides per (category, severity | "*"). */
@Injectable()
export class SlaPolicies {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly reference: ReferenceCache,
  ) {}

  /** The terms for an order: the most specific override, else the default. */
  async termsFor(em: EntityManager, category: string, severity: AlertSeverity, documentsComplete?: boolean | null): Promise<SlaTerms> {
    return (await this.termsForMany(em, [{ category, severity, documentsComplete }]))[0];
  }

  /** termsFor of several orders with one query (a batch of routed alerts), or none when the reference cache has the categories' overrides. */
  async termsForMany(em: EntityManager, wanted: readonly SlaSubject[]): Promise<SlaTerms[]> {
    if (wanted.length === 0) return [];
    const overridesOf = await this.reference.get<SlaOverride[]>('sla_policies', wanted.map((w) => w.category), async (categories) => {
      const rows = await em.find(SlaPolicy, { category: { $in: categories } });
      return new Map(categories.map((category) => [category, rows.filter((r) => r.category === category).map(overrideOf)]));
    });
    return wanted.map(({ category, severity, documentsComplete }) => {
      const overrides = overridesOf.get(category) ?? [];
      const keys = slaKeysOf(category, severity, documentsComplete);
      const policy = keys.map((key) => overrides.find((o) => o.severityKey === key)).find((o) => o !== undefined);
      if (!policy) return defaultTerms(category, severity, documentsComplete);
      return {
        acceptSeconds: policy.acceptSeconds,
        resolveSeconds: policy.resolveSeconds,
        remindSeconds: policy.remindSeconds ?? defaultRemindSeconds(policy.acceptSeconds),
        levelFactor: policy.levelFactor,
        source: policy.id,
      };
    });
  }

  async list(): Promise<{ defaults: SlaRow[]; overrides: SlaRow[] }> {
    const overrides = await this.em.fork().find(SlaPolicy, {}, { orderBy: { category: 'asc', severityKey: 'asc' } });
    const defaults: SlaRow[] = [
      ...ALERT_SEVERITIES.map((severity) => defaultRow('*', severity, DEFAULT_SLA_BY_SEVERITY[severity])),
      ...DESK_SLA_KEYS.map((key) => defaultRow(DESK_CATEGORY, key, DEFAULT_DESK_SLA[key])),
    ];
    return { defaults, overrides: overrides.map(toRow) };
  }

  async put(principal: Principal, input: SlaPolicyInput): Promise<SlaRow> {
    assertSlaEditor(principal);
    const category = assertCategory(input.category);
    const severityKey = severityKeyOf(category, input.severity);
    const acceptSeconds = seconds(input.acceptMinutes, 'acceptMinutes', category === DESK_CATEGORY);
    const resolveSeconds = seconds(input.resolveMinutes, 'resolveMinutes');
    const remindSeconds = input.remindMinutes === undefined ? undefined : seconds(input.remindMinutes, 'remindMinutes');
    const levelFactor = input.levelFactor ?? 1;
    if (!Number.isFinite(levelFactor) || levelFactor < 0.1 || levelFactor > 10) {
      throw DomainError.validation('levelFactor must be between 0.1 and 10', 'levelFactor');
    }
    const em = this.em.fork();
    return em.transactional(async (tx) => {
      const existing = await tx.findOne(SlaPolicy, { category, severityKey });
      const before = existing ? toRow(existing) : undefined;
      const policy = existing ?? tx.create(SlaPolicy, { category, severityKey, acceptSeconds, resolveSeconds });
      Object.assign(policy, { acceptSeconds, resolveSeconds, remindSeconds: remindSeconds ?? null, levelFactor });
      await tx.flush();
      this.audit.record(tx, {
        subjectType: 'sla_policy',
        subjectId: policy.id,
        action: existing ? 'changed' : 'created',
        actor: actorOf(principal),
        details: { before: before ?? null, after: toRow(policy) },
      });
      await tx.flush();
      return toRow(policy);
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    assertSlaEditor(principal);
    const em = this.em.fork();
    await em.transactional(async (tx) => {
      const policy = await tx.findOne(SlaPolicy, { id });
      if (!policy) throw DomainError.notFound('SLA policy', id);
      this.audit.record(tx, { subjectType: 'sla_policy', subjectId: id, action: 'deleted', actor: actorOf(principal), details: { before: toRow(policy) } });
      tx.remove(policy);
      await tx.flush();
    });
  }
}

/** One stored override as the terms need it. */
type SlaOverride = Pick<SlaPolicy, 'id' | 'severityKey' | 'acceptSeconds' | 'resolveSeconds' | 'remindSeconds' | 'levelFactor'>;

function overrideOf(policy: SlaPolicy): SlaOverride {
  const { id, severityKey, acceptSeconds, resolveSeconds, remindSeconds, levelFactor } = policy;
  return { id, severityKey, acceptSeconds, resolveSeconds, remindSeconds, levelFactor };
}

export function assertSlaEditor(principal: Principal): void {
  assertPermission(principal, Permission.RulesWrite);
  if (!principal.grants.some((g) => SLA_EDITORS.includes(g.role))) {
    throw DomainError.forbidden('SLA policies apply city-wide: only administrators and city or district officers change them');
  }
}

function severityKeyOf(category: string, severity: string | undefined): string {
  const key = severity ?? '*';
  const allowed: readonly string[] = category === DESK_CATEGORY ? ['*', ...DESK_SLA_KEYS] : ['*', ...ALERT_SEVERITIES];
  if (!allowed.includes(key)) {
    throw DomainError.validation(`severity must be one of ${allowed.join(', ')} for category ${category}`, 'severity');
  }
  return key;
}

/** Minutes may be fractional (tests use about a second); stored as whole seconds, at least one. */
function seconds(minutes: number, field: string, zeroAllowed = false): number {
  if (!Number.isFinite(minutes) || minutes < 0 || (minutes === 0 && !zeroAllowed) || minutes > MAX_MINUTES) {
    throw DomainError.validation(`${field} must be a number of minutes above 0 and at most ${MAX_MINUTES}`, field);
  }
  return minutes === 0 ? 0 : Math.max(1, Math.round(minutes * 60));
}

function minutes(secondsValue: number): number {
  return Math.round((secondsValue / 60) * 1000) / 1000;
}

function defaultRow(category: string, severity: string, sla: { acceptSeconds: number; resolveSeconds: number }): SlaRow {
  return {
    category,
    severity,
    acceptMinutes: minutes(sla.acceptSeconds),
    resolveMinutes: minutes(sla.resolveSeconds),
    remindMinutes: minutes(defaultRemindSeconds(sla.acceptSeconds)),
    levelFactor: 1,
  };
}

function toRow(policy: SlaPolicy): SlaRow {
  return {
    id: policy.id,
    category: policy.category,
    severity: policy.severityKey,
    acceptMinutes: minutes(policy.acceptSeconds),
    resolveMinutes: minutes(policy.resolveSeconds),
    remindMinutes: minutes(policy.remindSeconds ?? defaultRemindSeconds(policy.acceptSeconds)),
    levelFactor: policy.levelFactor,
  };
}
