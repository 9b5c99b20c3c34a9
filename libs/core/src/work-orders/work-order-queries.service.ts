import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { Alert } from '../alerts/entities/alert.entity';
import { ALERT_SEVERITIES } from '../alerts/alert-kinds';
import { AuditLog } from '../audit/audit-log';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { AlertSeverity } from '../devices/device-type';
import { assertPermission, Principal } from '../identity/principal';
import { Permission, Role } from '../identity/roles';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { compoundInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { Page, PageQuery, pageWindow } from '../shared/paging';
import { WorkOrder } from './entities/work-order.entity';
import { AWAITING_ACCEPTANCE } from './sla-clock';
import { assertCommunityVisible, viewerOf, WorkOrderViewer, workOrderScopeFilter, workOrderVisible } from './work-order-access';
import { ORDER_VIEW_POPULATE } from './work-order-change';
import { assertCategory, assertId, assertSource } from './work-order-input';
import {
  ESCALATION_LEVELS,
  EscalationLevel,
  OPEN_STATUSES,
  WORK_ORDER_STATUSES,
  WorkOrderSource,
  WorkOrderStage,
  WorkOrderStatus,
} from './work-order-states';

export interface WorkOrderListQuery extends PageQuery {
  status?: WorkOrderStatus;
  stage?: WorkOrderStage;
  source?: WorkOrderSource;
  category?: string;
  severity?: AlertSeverity;
  communityId?: string;
  compoundId?: string;
  level?: EscalationLevel;
  /** Open and past a deadline now. */
  overdue?: boolean;
  /** Orders the caller should act on: assigned to, owned by, or routed to them (their grid, company or desk). */
  assignedToMe?: boolean;
}

export interface WorkOrderDetail {
  order: WorkOrder;
  /** Alerts linked to the order (the first one and those that attached later). */
  alerts: number;
}

const STAGE_STATUSES: Record<WorkOrderStage, readonly WorkOrderStatus[]> = {
  open: OPEN_STATUSES,
  fixed: ['resolved'],
  closed: ['verified', 'closed'],
};

/** A where-clause for orders open and past a deadline at `now`. */
export function overdueFilter(now: Date): FilterQuery<WorkOrder> {
  return {
    status: { $in: [...OPEN_STATUSES] },
    $or: [{ status: { $in: [...AWAITING_ACCEPTANCE] }, acceptDueAt: { $lt: now } }, { resolveDueAt: { $lt: now } }],
  };
}

/** Reads of work orders, filtered by the caller's scope (a target outside it is 404). */
@Injectable()
export class WorkOrderQueries {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal, query: WorkOrderListQuery): Promise<Page<WorkOrder>> {
    assertPermission(principal, Permission.WorkOrdersRead);
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const viewer = await viewerOf(em, principal);
    const and: FilterQuery<WorkOrder>[] = [workOrderScopeFilter(viewer)];
    if (query.status !== undefined) {
      if (!(WORK_ORDER_STATUSES as readonly string[]).includes(query.status)) throw DomainError.validation(`status must be one of ${WORK_ORDER_STATUSES.join(', ')}`, 'status');
      and.push({ status: query.status });
    }
    if (query.stage !== undefined) {
      const statuses = STAGE_STATUSES[query.stage];
      if (!statuses) throw DomainError.validation('stage must be open, fixed or closed', 'stage');
      and.push({ status: { $in: [...statuses] } });
    }
    if (query.source !== undefined) and.push({ source: assertSource(query.source) });
    if (query.category !== undefined) and.push({ category: assertCategory(query.category) });
    if (query.severity !== undefined) {
      if (!ALERT_SEVERITIES.includes(query.severity)) throw DomainError.validation(`severity must be one of ${ALERT_SEVERITIES.join(', ')}`, 'severity');
      and.push({ severity: query.severity });
    }
    if (query.level !== undefined) {
      if (!ESCALATION_LEVELS.includes(query.level)) throw DomainError.validation(`level must be one of ${ESCALATION_LEVELS.join(', ')}`, 'level');
      and.push({ level: query.level });
    }
    if (query.communityId !== undefined) {
      const community = await em.findOne(OrgUnit, { id: assertId(query.communityId, 'communityId') });
      if (!community) throw DomainError.notFound('community', query.communityId);
      await assertCommunityVisible(em, principal.scope, community);
      and.push({ community: community.id });
    }
    if (query.compoundId !== undefined) {
      const compound = await em.findOne(Compound, { id: assertId(query.compoundId, 'compoundId') }, { populate: ['community'] });
      if (!compound || !compoundInScope(principal.scope, compound)) throw DomainError.notFound('compound', query.compoundId);
      and.push({ compound: compound.id });
    }
    if (query.overdue === true) and.push(overdueFilter(new Date()));
    if (query.assignedToMe === true) and.push(assignedTo(viewer));
    const [items, total] = await em.findAndCount(WorkOrder, { $and: and }, { populate: ORDER_VIEW_POPULATE, orderBy: { reportedAt: 'desc', id: 'desc' }, limit, offset });
    return { items, total, limit, offset };
  }

  async get(principal: Principal, id: string): Promise<WorkOrderDetail> {
    assertPermission(principal, Permission.WorkOrdersRead);
    const em = this.em.fork();
    const order = await this.findVisible(em, principal, id);
    await em.populate(order, ORDER_VIEW_POPULATE);
    const alerts = await em.count(Alert, { workOrderId: order.id });
    return { order, alerts };
  }

  /** The history from the first report to verification: its audit entries, oldest first. */
  async history(principal: Principal, id: string): Promise<{ order: WorkOrder; entries: AuditEntry[] }> {
    assertPermission(principal, Permission.WorkOrdersRead);
    const em = this.em.fork();
    const order = await this.findVisible(em, principal, id);
    return { order, entries: await this.audit.history(em, 'work_order', order.id) };
  }

  private async findVisible(em: EntityManager, principal: Principal, id: string): Promise<WorkOrder> {
    const order = await em.findOne(WorkOrder, { id: assertId(id, 'id') });
    if (!order || !workOrderVisible(await viewerOf(em, principal), order)) throw DomainError.notFound('work order', id);
    return order;
  }
}

function assignedTo(viewer: WorkOrderViewer): FilterQuery<WorkOrder> {
  const { principal } = viewer;
  const or: FilterQuery<WorkOrder>[] = [];
  if (principal.kind === 'account') or.push({ assignee: principal.id }, { owner: principal.id });
  if (viewer.gridWorkerId) or.push({ assignedGridWorker: viewer.gridWorkerId });
  const companies = principal.grants.filter((g) => (g.role === Role.PropertyStaff || g.role === Role.CompanySystem) && g.companyId).map((g) => g.companyId as string);
  if (companies.length > 0) or.push({ assignedCompany: { $in: companies } });
  const desks = principal.grants.filter((g) => g.role === Role.CommunityWorker && g.orgUnitId).map((g) => g.orgUnitId as string);
  if (desks.length > 0) or.push({ assignedDesk: true, community: { $in: desks } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}
