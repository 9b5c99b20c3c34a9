import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { actorOf } from '../../audit/actor';
import { AuditLog } from '../../audit/audit-log';
import { AuditEntry } from '../../audit/entities/audit-entry.entity';
import { findVisibleDevice } from '../../devices/device-access';
import { Principal } from '../../identity/principal';
import { Compound } from '../../org/entities/compound.entity';
import { unitVisible } from '../../org/org-access';
import { isUuid } from '../../org/org-errors';
import { findFilterUnit } from '../../org/org-filters';
import { OrgLevel } from '../../org/org-level';
import { compoundInScope, Scope } from '../../org/scope';
import { DomainError } from '../../shared/domain-error';
import { Page, PageQuery, pageWindow } from '../../shared/paging';
import { ALERT_CATEGORIES, ALERT_SEVERITIES, ALERT_STATUSES, AlertStatus } from '../alert-kinds';
import { alertScopeFilter, alertVisible } from '../alert-scope';
import { Alert } from '../entities/alert.entity';
import { AlarmWriter } from './alarm-writer';

export interface AlertListQuery extends PageQuery {
  status?: string;
  communityId?: string;
  compoundId?: string;
  deviceId?: string;
  severity?: string;
  category?: string;
}

/** Relations an alert is shown with (codes for the view, the company for scope). */
export const ALERT_POPULATE = ['device', 'community', 'compound', 'compound.propertyCompany', 'grid'] as const;

export const CLEAR_REASON_MAX = 300;

/**
 * Alerts as people handle them: lists and reads in scope, acknowledge and clear by hand. Each
 * transition is one conditional UPDATE (the state it leaves is in its WHERE), so it cannot
 * race the engine or another person into an illegal state; an illegal transition is a 409.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly writer: AlarmWriter,
  ) {}

  async list(scope: Scope, query: AlertListQuery): Promise<Page<Alert>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const and: FilterQuery<Alert>[] = [alertScopeFilter(scope)];
    if (query.status !== undefined) and.push({ status: oneOf(query.status, ALERT_STATUSES, 'status') });
    if (query.severity !== undefined) and.push({ severity: oneOf(query.severity, ALERT_SEVERITIES, 'severity') });
    if (query.category !== undefined) and.push({ category: oneOf(query.category, ALERT_CATEGORIES, 'category') });
    if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, scope, query.communityId, 'communityId');
      if (community.level !== OrgLevel.Community) throw DomainError.validation(`communityId: ${community.code} is a ${community.level}, not a community`, 'communityId');
      and.push({ community: community.id });
    }
    if (query.compoundId !== undefined) {
      const compound = isUuid(query.compoundId) ? await em.findOne(Compound, { id: query.compoundId }, { populate: ['community', 'propertyCompany'] }) : null;
      if (!compound) throw DomainError.notFound('compound', query.compoundId, 'compoundId');
      if (!compoundInScope(scope, compound) && !unitVisible(scope, compound.community)) throw DomainError.forbidden(`compoundId: compound ${compound.code} is outside your scope`);
      and.push({ compound: compound.id });
    }
    if (query.deviceId !== undefined) {
      const device = await findVisibleDevice(em, scope, query.deviceId);
      and.push({ device: device.id });
    }
    const [items, total] = await em.findAndCount(Alert, { $and: and }, { populate: ALERT_POPULATE, orderBy: { lastSeenAt: 'desc', id: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }

  async get(scope: Scope, id: string): Promise<Alert> {
    return findVisibleAlert(this.em.fork(), scope, id);
  }

  async history(scope: Scope, id: string): Promise<AuditEntry[]> {
    const em = this.em.fork();
    const alert = await findVisibleAlert(em, scope, id);
    return this.audit.history(em, 'alert', alert.id);
  }

  async acknowledge(principal: Principal, id: string): Promise<Alert> {
    await this.em.fork().transactional(async (em) => {
      const alert = await findVisibleAlert(em, principal.scope, id);
      if (alert.status !== 'active') throw illegal(alert, 'acknowledge');
      const now = new Date();
      const changed = await em.nativeUpdate(Alert, { id: alert.id, status: 'active' }, { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: principal.name.slice(0, 64), updatedAt: now });
      if (changed === 0) throw illegal(await em.refreshOrFail(alert), 'acknowledge');
      this.audit.record(em, { subjectType: 'alert', subjectId: alert.id, action: 'acknowledged', actor: actorOf(principal), fromState: 'active', toState: 'acknowledged', at: now });
      await em.flush();
    });
    return this.get(principal.scope, id);
  }

  async clear(principal: Principal, id: string, reason: string): Promise<Alert> {
    const text = reason.trim();
    if (text.length === 0 || text.length > CLEAR_REASON_MAX) throw DomainError.validation(`reason must be 1-${CLEAR_REASON_MAX} characters`, 'reason');
    const openKey = await this.em.fork().transactional(async (em) => {
      const alert = await findVisibleAlert(em, principal.scope, id);
      if (alert.status === 'cleared') throw illegal(alert, 'clear');
      const key = alert.openKey;
      const from = alert.status;
      const now = new Date();
      const changed = await em.nativeUpdate(
        Alert,
        { id: alert.id, status: { $in: ['active', 'acknowledged'] } },
        { status: 'cleared', openKey: null, clearedAt: now, clearedBy: 'manual', clearReason: text, updatedAt: now },
      );
      if (changed === 0) throw illegal(await em.refreshOrFail(alert), 'clear');
      this.audit.record(em, { subjectType: 'alert', subjectId: alert.id, action: 'cleared', actor: actorOf(principal), fromState: from, toState: 'cleared', text, details: { clearedBy: 'manual' }, at: now });
      await em.flush();
      return key;
    });
    // An engine in this process (all-in-one) must not take the next reading for a continuation of the cleared alert.
    if (openKey) this.writer.forget([openKey]);
    return this.get(principal.scope, id);
  }
}

/** Loads an alert with its relations; outside the scope it does not exist. */
export async function findVisibleAlert(em: EntityManager, scope: Scope, id: string): Promise<Alert> {
  const alert = isUuid(id) ? await em.findOne(Alert, { id }, { populate: ALERT_POPULATE }) : null;
  if (!alert || !alertVisible(scope, alert)) throw DomainError.notFound('alert', id);
  return alert;
}

function illegal(alert: Alert, action: 'acknowledge' | 'clear'): DomainError {
  const status: AlertStatus = alert.status;
  const message =
    status === 'cleared'
      ? `alert ${alert.id} is already cleared; a cleared alert cannot be ${action === 'clear' ? 'cleared again' : 'acknowledged'}`
      : `alert ${alert.id} is already acknowledged`;
  return new DomainError('state', message);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw DomainError.validation(`${field} must be one of ${allowed.join(', ')}`, field);
  return value as T;
}
