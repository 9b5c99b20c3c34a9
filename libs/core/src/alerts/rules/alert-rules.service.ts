import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, UniqueConstraintViolationException } from '@mikro-orm/core';
import { actorOf } from '../../audit/actor';
import { AuditLog } from '../../audit/audit-log';
import { DEVICE_TYPES, DEVICE_OFFLINE_ALERT } from '../../devices/device-types.catalogue';
import { Principal } from '../../identity/principal';
import { Compound } from '../../org/entities/compound.entity';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { isUuid } from '../../org/org-errors';
import { findFilterUnit } from '../../org/org-filters';
import { OrgLevel } from '../../org/org-level';
import { Scope } from '../../org/scope';
import { DomainError } from '../../shared/domain-error';
import { Page, PageQuery, pageWindow } from '../../shared/paging';
import { CARE_ALERT } from '../alert-kinds';
import { AlertRule } from '../entities/alert-rule.entity';
import { defaultNameOf, defaultRulesOf } from './default-rules';
import { RuleBook } from './rule-book';
import { EffectiveRule } from './rule-definition';
import { checkAlertType, checkCategory, checkDeviceType, checkRuleSpec, checkSeverity } from './rule-params';
import { fromStored, mergeRules } from './rule-resolution';
import { assertLevel, assertWritable, findReadableCompound, GLOBAL, resolveTarget, RuleScopeInput, RuleTarget, targetOf, targetVisible } from './rule-targets';

export type { RuleScopeInput } from './rule-targets';

export interface CreateRuleInput extends RuleScopeInput {
  deviceType: string;
  /** Defaults to the event type (event, repetition), device.offline (offline), care.no_activity (care_watch). */
  alertType?: string;
  kind: string;
  params?: Record<string, unknown>;
  /** Default: the catalogue default's for this alert type. */
  severity?: string;
  category?: string;
  nameZh?: string;
  nameEn?: string;
  enabled?: boolean;
}

export interface UpdateRuleInput {
  kind?: string;
  params?: Record<string, unknown>;
  severity?: string;
  category?: string;
  nameZh?: string;
  nameEn?: string;
  enabled?: boolean;
}

export interface RuleListQuery extends PageQuery {
  deviceType?: string;
  communityId?: string;
  compoundId?: string;
}

export interface EffectiveRulesQuery {
  deviceType: string;
  communityId?: string;
  compoundId?: string;
}


/**
 * Alert rules as data: catalogue defaults, stored overrides (global, per community, per
 * compound) and the merged view. Reads need the place in scope (global overrides are visible
 * to every reader); writes need the community or compound in scope, and global overrides an
 * administrator or a city officer. Every change is audited and takes effect in this process at
 * once (other processes within the rule cache's TTL).
 */
@Injectable()
export class AlertRulesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly ruleBook: RuleBook,
  ) {}

  /** Catalogue defaults, of one device type or of all. */
  defaults(deviceType?: string): EffectiveRule[] {
    if (deviceType !== undefined) return [...defaultRulesOf(checkDeviceType(deviceType).code)];
    return DEVICE_TYPES.flatMap((t) => defaultRulesOf(t.code));
  }

  async list(scope: Scope, query: RuleListQuery): Promise<Page<AlertRule>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<AlertRule>[] = [];
    if (query.deviceType !== undefined) where.push({ deviceType: checkDeviceType(query.deviceType).code });
    if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, scope, query.communityId, 'communityId');
      assertLevel(community, OrgLevel.Community, 'communityId');
      where.push({ $or: [{ scopeKey: GLOBAL }, { communityId: community.id }] });
    }
    if (query.compoundId !== undefined) {
      const compound = await findReadableCompound(em, scope, query.compoundId, 'compoundId');
      where.push({ $or: [{ scopeKey: GLOBAL }, { scopeKey: `unit:${compound.community.id}` }, { compoundId: compound.id }] });
    }
    const rows = await em.find(AlertRule, where.length > 0 ? { $and: where } : {}, { orderBy: { deviceType: 'asc', alertType: 'asc', scopeKey: 'asc' } });
    const visible = await this.visibleRules(em, scope, rows);
    return { items: visible.slice(offset, offset + limit), total: visible.length, limit, offset };
  }

  /** The merged rules of a device type at a place (or globally), disabled overrides included so the switch-offs show. */
  async effective(scope: Scope, query: EffectiveRulesQuery): Promise<EffectiveRule[]> {
    const type = checkDeviceType(query.deviceType);
    const em = this.em.fork();
    const scopeKeys = [GLOBAL];
    if (query.compoundId !== undefined) {
      const compound = await findReadableCompound(em, scope, query.compoundId, 'compoundId');
      if (query.communityId !== undefined && query.communityId !== compound.community.id) {
        throw DomainError.validation(`compound ${compound.code} is not in community ${query.communityId}`, 'compoundId');
      }
      scopeKeys.push(`unit:${compound.community.id}`, `compound:${compound.id}`);
    } else if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, scope, query.communityId, 'communityId');
      assertLevel(community, OrgLevel.Community, 'communityId');
      scopeKeys.push(`unit:${community.id}`);
    }
    const rows = await em.find(AlertRule, { deviceType: type.code, scopeKey: { $in: scopeKeys } });
    return mergeRules(defaultRulesOf(type.code), rows.map(fromStored));
  }

  async create(principal: Principal, input: CreateRuleInput): Promise<AlertRule> {
    const type = checkDeviceType(input.deviceType);
    const alertType = checkAlertType(input.alertType ?? implicitAlertType(input));
    const spec = checkRuleSpec(type, alertType, input.kind, input.params);
    const fallback = defaultRulesOf(type.code).find((r) => r.alertType === alertType);
    const severity = checkSeverity(input.severity ?? fallback?.severity ?? required('severity', alertType));
    const category = checkCategory(input.category ?? fallback?.category ?? required('category', alertType));
    const name = defaultNameOf(type.code, alertType);
    const nameZh = text(input.nameZh, 'nameZh') ?? name?.zh ?? alertType;
    const nameEn = text(input.nameEn, 'nameEn') ?? name?.en ?? alertType;
    const rule = await this.em.fork().transactional(async (em) => {
      const target = await resolveTarget(em, input);
      assertWritable(principal.scope, target);
      const existing = await em.findOne(AlertRule, { scopeKey: target.scopeKey, deviceType: type.code, alertType });
      if (existing) throw duplicate(existing);
      const row = em.create(AlertRule, {
        scopeKey: target.scopeKey,
        communityId: target.community?.id ?? target.compound?.community.id,
        compoundId: target.compound?.id,
        deviceType: type.code,
        alertType,
        kind: spec.kind,
        params: spec.params,
        severity,
        category,
        nameZh,
        nameEn,
        enabled: input.enabled ?? true,
      });
      this.audit.record(em, {
        subjectType: 'alert_rule',
        subjectId: row.id,
        action: 'created',
        actor: actorOf(principal),
        toState: row.enabled ? 'enabled' : 'disabled',
        details: { scopeKey: row.scopeKey, deviceType: row.deviceType, alertType, kind: spec.kind, params: spec.params, severity, category },
      });
      await flushOrConflict(em, () => `an override of ${alertType} for ${type.code} already exists in this scope`);
      return row;
    });
    this.ruleBook.invalidate();
    return rule;
  }

  async update(principal: Principal, id: string, input: UpdateRuleInput): Promise<AlertRule> {
    const rule = await this.em.fork().transactional(async (em) => {
      const row = await this.findWritable(em, principal.scope, id);
      const before = snapshotOf(row);
      if (input.kind !== undefined || input.params !== undefined) {
        const spec = checkRuleSpec(checkDeviceType(row.deviceType), row.alertType, input.kind ?? row.kind, input.params ?? (input.kind !== undefined ? {} : row.params));
        row.kind = spec.kind;
        row.params = spec.params;
      }
      if (input.severity !== undefined) row.severity = checkSeverity(input.severity);
      if (input.category !== undefined) row.category = checkCategory(input.category);
      if (input.nameZh !== undefined) row.nameZh = text(input.nameZh, 'nameZh') ?? row.nameZh;
      if (input.nameEn !== undefined) row.nameEn = text(input.nameEn, 'nameEn') ?? row.nameEn;
      if (input.enabled !== undefined) row.enabled = input.enabled;
      const after = snapshotOf(row);
      this.audit.record(em, {
        subjectType: 'alert_rule',
        subjectId: row.id,
        action: 'updated',
        actor: actorOf(principal),
        fromState: before.enabled ? 'enabled' : 'disabled',
        toState: after.enabled ? 'enabled' : 'disabled',
        details: { before, after },
      });
      await em.flush();
      return row;
    });
    this.ruleBook.invalidate();
    return rule;
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const row = await this.findWritable(em, principal.scope, id);
      this.audit.record(em, {
        subjectType: 'alert_rule',
        subjectId: row.id,
        action: 'deleted',
        actor: actorOf(principal),
        fromState: row.enabled ? 'enabled' : 'disabled',
        details: snapshotOf(row),
      });
      em.remove(row);
      await em.flush();
    });
    this.ruleBook.invalidate();
  }

  /** Outside the scope an override does not exist; a readable one the caller may not change is 403. */
  private async findWritable(em: EntityManager, scope: Scope, id: string): Promise<AlertRule> {
    const row = isUuid(id) ? await em.findOne(AlertRule, { id }) : null;
    if (!row) throw DomainError.notFound('alert rule', id);
    const target = await targetOf(em, row);
    if (!targetVisible(scope, target)) throw DomainError.notFound('alert rule', id);
    assertWritable(scope, target);
    return row;
  }

  private async visibleRules(em: EntityManager, scope: Scope, rows: AlertRule[]): Promise<AlertRule[]> {
    if (scope.all) return rows;
    const communityIds = [...new Set(rows.flatMap((r) => (r.communityId && !r.compoundId ? [r.communityId] : [])))];
    const compoundIds = [...new Set(rows.flatMap((r) => (r.compoundId ? [r.compoundId] : [])))];
    const communities = new Map((communityIds.length > 0 ? await em.find(OrgUnit, { id: { $in: communityIds } }) : []).map((u) => [u.id, u]));
    const compounds = new Map(
      (compoundIds.length > 0 ? await em.find(Compound, { id: { $in: compoundIds } }, { populate: ['community', 'propertyCompany'] }) : []).map((c) => [c.id, c]),
    );
    return rows.filter((row) => {
      if (row.scopeKey === GLOBAL) return true;
      const target: RuleTarget = { scopeKey: row.scopeKey, community: row.compoundId ? undefined : communities.get(row.communityId ?? ''), compound: row.compoundId ? compounds.get(row.compoundId) : undefined };
      return (target.community || target.compound) !== undefined && targetVisible(scope, target);
    });
  }
}

function implicitAlertType(input: CreateRuleInput): string {
  const eventType = input.params?.eventType;
  if ((input.kind === 'event' || input.kind === 'repetition') && typeof eventType === 'string') return eventType;
  if (input.kind === 'offline') return DEVICE_OFFLINE_ALERT.type;
  if (input.kind === 'care_watch') return CARE_ALERT.type;
  throw DomainError.validation('alertType is required for this kind of rule', 'alertType');
}

function required(field: string, alertType: string): never {
  throw DomainError.validation(`${field} is required: no default rule raises ${alertType}`, field);
}

function text(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw DomainError.validation(`${field} must be 1-200 characters`, field);
  return trimmed;
}

function duplicate(existing: AlertRule): DomainError {
  const message = `an override of ${existing.alertType} for ${existing.deviceType} already exists in this scope (${existing.id}); change it with PATCH`;
  return DomainError.conflict(message, 'alertType');
}

async function flushOrConflict(em: EntityManager, message: () => string): Promise<void> {
  try {
    await em.flush();
  } catch (error: unknown) {
    if (error instanceof UniqueConstraintViolationException) throw new DomainError('conflict', message(), [{ field: 'alertType', message: message() }], { cause: error });
    throw error;
  }
}

function snapshotOf(row: AlertRule): Record<string, unknown> {
  return {
    scopeKey: row.scopeKey,
    deviceType: row.deviceType,
    alertType: row.alertType,
    kind: row.kind,
    params: row.params,
    severity: row.severity,
    category: row.category,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    enabled: row.enabled,
  };
}
