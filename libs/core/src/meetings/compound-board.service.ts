import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { AuditLog } from '../audit/audit-log';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { Principal } from '../identity/principal';
import { Compound } from '../org/entities/compound.entity';
import { isUuid, outsideScope } from '../org/org-errors';
import { compoundInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { OPEN_STATUSES, stageOf } from '../work-orders/work-order-states';
import { AgendaItem, AgendaItemOrder } from './entities/agenda-item.entity';
import { Decision } from './entities/decision.entity';
import { Meeting } from './entities/meeting.entity';
import { partiesById } from './meeting-record';
import { overdueWhere } from './order-filters';

export interface BoardQuery {
  /** Rows per list (open, overdue, resolved, decisions). */
  limit?: number;
}

export interface BoardDecision {
  decision: Decision;
  meeting: Meeting;
  item: AgendaItem;
  actionItems: { order: WorkOrder; ownerPartyName?: string }[];
  /** Mean progress of its action items in percent; a finished one counts 100. */
  progress: number | null;
}

export interface CompoundBoard {
  compound: Compound;
  counts: { total: number; open: number; overdue: number; fixed: number; closed: number; resolved: number };
  open: WorkOrder[];
  overdue: WorkOrder[];
  resolved: WorkOrder[];
  /** Median days from report to close (verified or closed) over the compound's closed issues; null without any. */
  medianDaysToClose: number | null;
  decisions: BoardDecision[];
  generatedAt: Date;
}

export interface IssueHistory {
  order: WorkOrder;
  history: AuditEntry[];
  /** Where the issue was discussed: meeting, agenda item, decision. */
  meetings: { meeting: Meeting; item: AgendaItem; decision?: Decision }[];
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/**
 * The owners' committee board of a compound: its issues (work orders) open, overdue and
 * resolved, the joint-meeting decisions about it with the progress of their action items,
 * the median days to close, and each issue's history. Members of one compound never see
 * another's: a compound outside the caller's scope is 403.
 */
@Injectable()
export class CompoundBoardService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async board(principal: Principal, compoundId: string, query: BoardQuery = {}, now = new Date()): Promise<CompoundBoard> {
    const em = this.em.fork();
    const compound = await this.compound(em, principal, compoundId);
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
    const here: FilterQuery<WorkOrder> = { compound: compound.id };
    const open = [...OPEN_STATUSES];
    const [total, openCount, overdueCount, fixed, closed, resolvedCount] = await Promise.all([
      em.count(WorkOrder, here),
      em.count(WorkOrder, { ...here, status: { $in: open } }),
      em.count(WorkOrder, { $and: [here, overdueWhere(now)] }),
      em.count(WorkOrder, { ...here, status: 'resolved' }),
      em.count(WorkOrder, { ...here, status: { $in: ['verified', 'closed'] } }),
      em.count(WorkOrder, { ...here, resolvedAt: { $ne: null }, status: { $nin: open } }),
    ]);
    const openOrders = await em.find(WorkOrder, { ...here, status: { $in: open } }, { orderBy: { reportedAt: 'desc' }, limit });
    const overdueOrders = await em.find(WorkOrder, { $and: [here, overdueWhere(now)] }, { orderBy: { reportedAt: 'asc' }, limit });
    const resolvedOrders = await em.find(WorkOrder, { ...here, resolvedAt: { $ne: null }, status: { $nin: open } }, { orderBy: { resolvedAt: 'desc' }, limit });
    return {
      compound,
      counts: { total, open: openCount, overdue: overdueCount, fixed, closed, resolved: resolvedCount },
      open: openOrders,
      overdue: overdueOrders,
      resolved: resolvedOrders,
      medianDaysToClose: await this.medianDaysToClose(em, compound),
      decisions: await this.decisions(em, compound, limit),
      generatedAt: now,
    };
  }

  async issue(principal: Principal, compoundId: string, orderId: string): Promise<IssueHistory> {
    const em = this.em.fork();
    const compound = await this.compound(em, principal, compoundId);
    const order = isUuid(orderId) ? await em.findOne(WorkOrder, { id: orderId, compound: compound.id }) : null;
    if (!order) throw DomainError.notFound(`issue of compound ${compound.code}`, orderId);
    const links = await em.find(AgendaItemOrder, { workOrderId: order.id }, { populate: ['item', 'meeting'] });
    const decisions = links.length > 0 ? await em.find(Decision, { item: { $in: links.map((l) => l.item.id) } }) : [];
    const own = order.meetingDecisionId ? await em.findOne(Decision, { id: order.meetingDecisionId }, { populate: ['item', 'meeting'] }) : null;
    const meetings = links.map((l) => ({ meeting: l.meeting, item: l.item, decision: decisions.find((d) => d.item.id === l.item.id) }));
    if (own) meetings.push({ meeting: own.meeting, item: own.item, decision: own });
    meetings.sort((a, b) => a.meeting.seq - b.meeting.seq);
    return { order, history: await this.audit.history(em, 'work_order', order.id), meetings };
  }

  private async compound(em: EntityManager, principal: Principal, compoundId: string): Promise<Compound> {
    const compound = isUuid(compoundId) ? await em.findOne(Compound, { id: compoundId }, { populate: ['community'] }) : null;
    if (!compound) throw DomainError.notFound('compound', compoundId);
    if (!compoundInScope(principal.scope, compound)) throw outsideScope(`compound ${compound.code}`, 'compoundId');
    return compound;
  }

  private async medianDaysToClose(em: EntityManager, compound: Compound): Promise<number | null> {
    const closed = await em.find(WorkOrder, { compound: compound.id, status: { $in: ['verified', 'closed'] } }, { fields: ['reportedAt', 'verifiedAt', 'closedAt'] });
    const days = closed
      .map((o) => ((o.verifiedAt ?? o.closedAt)?.getTime() ?? Number.NaN) - o.reportedAt.getTime())
      .filter((ms) => Number.isFinite(ms) && ms >= 0)
      .map((ms) => ms / 86_400_000)
      .sort((a, b) => a - b);
    if (days.length === 0) return null;
    const mid = Math.floor(days.length / 2);
    const median = days.length % 2 === 1 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2;
    return Math.round(median * 100) / 100;
  }

  /** Decisions of the compound's meetings, with action items in the compound, or on agenda items about its issues. */
  private async decisions(em: EntityManager, compound: Compound, limit: number): Promise<BoardDecision[]> {
    const actionRows = await em.find(WorkOrder, { compound: compound.id, meetingDecisionId: { $ne: null } }, { fields: ['meetingDecisionId'] });
    const issueIds = (await em.find(WorkOrder, { compound: compound.id }, { fields: ['id'] })).map((o) => o.id);
    const links = issueIds.length > 0 ? await em.find(AgendaItemOrder, { workOrderId: { $in: issueIds } }, { fields: ['item'] }) : [];
    const or: FilterQuery<Decision>[] = [{ meeting: { compound: compound.id } }];
    const ids = actionRows.map((o) => o.meetingDecisionId).filter((id): id is string => Boolean(id));
    if (ids.length > 0) or.push({ id: { $in: [...new Set(ids)] } });
    if (links.length > 0) or.push({ item: { $in: [...new Set(links.map((l) => l.item.id))] } });
    const decisions = await em.find(Decision, { $or: or }, { populate: ['meeting', 'item'], orderBy: { decidedAt: 'desc' }, limit });
    if (decisions.length === 0) return [];
    const actions = await em.find(WorkOrder, { meetingDecisionId: { $in: decisions.map((d) => d.id) } }, { orderBy: { createdAt: 'asc' } });
    const parties = await partiesById(em, actions.map((a) => a.ownerPartyId));
    return decisions.map((decision) => {
      const mine = actions.filter((a) => a.meetingDecisionId === decision.id);
      const progress =
        mine.length === 0 ? null : Math.round(mine.reduce((sum, a) => sum + (stageOf(a.status) === 'open' ? (a.progress ?? 0) : 100), 0) / mine.length);
      return {
        decision,
        meeting: decision.meeting,
        item: decision.item,
        actionItems: mine.map((order) => ({ order, ownerPartyName: order.ownerPartyId ? parties.get(order.ownerPartyId)?.name : undefined })),
        progress,
      };
    });
  }
}
