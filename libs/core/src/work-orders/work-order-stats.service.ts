import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { assertPermission, Principal } from '../identity/principal';
import { Permission } from '../identity/roles';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { OrgLevel } from '../org/org-level';
import { unitInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from './entities/work-order.entity';
import { isOverdue } from './sla-clock';
import { assertId } from './work-order-input';
import { ESCALATION_LEVELS, EscalationLevel, stageOf } from './work-order-states';

export interface StatsQuery {
  unitId: string;
  from?: Date;
  to?: Date;
}

/** SLA statistics of the orders of one org unit's communities reported in a period. */
export interface WorkOrderStats {
  unit: { id: string; code: string; name: string; level: OrgLevel };
  from: string | null;
  to: string | null;
  total: number;
  open: number;
  fixed: number;
  closed: number;
  /** Open and past a deadline right now. */
  overdue: number;
  /** A deadline passed at some point. */
  breached: number;
  /** Share of resolved or closed orders that never breached; null when there are none. */
  slaCompliance: number | null;
  medianAcceptMinutes: number | null;
  medianResolveMinutes: number | null;
  /** Share of resolved orders resolved at the community level ("小事不出社区"). */
  solvedInCommunityRate: number | null;
  /** Share resolved at the community or street level ("大事不出街道"). */
  solvedInStreetRate: number | null;
  /** Orders by the level they are at now. */
  byLevel: Record<EscalationLevel, number>;
}

const STATS_FIELDS = ['status', 'level', 'slaBreached', 'reportedAt', 'acceptedAt', 'resolvedAt', 'resolvedLevel', 'acceptDueAt', 'resolveDueAt'] as const;

/** Three decimals: shares and minutes read the same on both databases. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole);
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}

/**
 * Per-unit statistics for the three-level grid command. Medians are computed in code over the
 * selected rows (fine at pilot scale: one narrow row per order), so both databases give the same.
 */
@Injectable()
export class WorkOrderStatsService {
  constructor(private readonly em: EntityManager) {}

  async forUnit(principal: Principal, query: StatsQuery): Promise<WorkOrderStats> {
    assertPermission(principal, Permission.StatsRead);
    const em = this.em.fork();
    const unit = await em.findOne(OrgUnit, { id: assertId(query.unitId, 'unitId') });
    if (!unit || !unitInScope(principal.scope, unit)) throw DomainError.notFound('org unit', query.unitId);
    if (query.from && query.to && query.from >= query.to) throw DomainError.validation('from must be before to', 'from');
    const where: FilterQuery<WorkOrder> = unit.level === OrgLevel.Grid ? { grid: unit.id } : { communityPath: { $like: `${unit.path}%` } };
    const period: FilterQuery<WorkOrder>[] = [];
    if (query.from) period.push({ reportedAt: { $gte: query.from } });
    if (query.to) period.push({ reportedAt: { $lt: query.to } });
    const rows = await em.find(WorkOrder, { $and: [where, ...period] }, { fields: [...STATS_FIELDS] });
    const now = new Date();
    const byLevel = Object.fromEntries(ESCALATION_LEVELS.map((l) => [l, 0])) as Record<EscalationLevel, number>;
    let open = 0;
    let fixed = 0;
    let closed = 0;
    let overdue = 0;
    let breached = 0;
    let finished = 0;
    let finishedInSla = 0;
    let resolved = 0;
    let inCommunity = 0;
    let inStreet = 0;
    const acceptMinutes: number[] = [];
    const resolveMinutes: number[] = [];
    for (const row of rows) {
      byLevel[row.level as EscalationLevel] += 1;
      const stage = stageOf(row.status);
      if (stage === 'open') open += 1;
      else if (stage === 'fixed') fixed += 1;
      else closed += 1;
      if (row.slaBreached) breached += 1;
      if (stage !== 'open') {
        finished += 1;
        if (!row.slaBreached) finishedInSla += 1;
      }
      if (isOverdue(row, now)) overdue += 1;
      if (row.acceptedAt) acceptMinutes.push((row.acceptedAt.getTime() - row.reportedAt.getTime()) / 60_000);
      if (row.resolvedAt) resolveMinutes.push((row.resolvedAt.getTime() - row.reportedAt.getTime()) / 60_000);
      if (row.resolvedLevel) {
        resolved += 1;
        if (row.resolvedLevel === 'community') inCommunity += 1;
        if (row.resolvedLevel === 'community' || row.resolvedLevel === 'street') inStreet += 1;
      }
    }
    return {
      unit: { id: unit.id, code: unit.code, name: unit.name, level: unit.level },
      from: query.from?.toISOString() ?? null,
      to: query.to?.toISOString() ?? null,
      total: rows.length,
      open,
      fixed,
      closed,
      overdue,
      breached,
      slaCompliance: share(finishedInSla, finished),
      medianAcceptMinutes: median(acceptMinutes),
      medianResolveMinutes: median(resolveMinutes),
      solvedInCommunityRate: share(inCommunity, resolved),
      solvedInStreetRate: share(inStreet, resolved),
      byLevel,
    };
  }
}
