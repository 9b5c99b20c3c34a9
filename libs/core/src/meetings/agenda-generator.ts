import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { Actor } from '../audit/actor';
import { AuditLog } from '../audit/audit-log';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { OPEN_STATUSES } from '../work-orders/work-order-states';
import { AgendaItem, AgendaItemOrder } from './entities/agenda-item.entity';
import { Decision } from './entities/decision.entity';
import { Meeting } from './entities/meeting.entity';
import { AgendaSource, OPEN_MEETING_STATUSES } from './meeting-states';
import { isOverdue, overdueWhere } from './order-filters';

/** At most this many work orders are proposed by one pass; the rest come with the next refresh. */
const MAX_PROPOSALS = 100;
/** Closed meetings looked back on for undecided or deferred items. */
const CARRY_LOOKBACK_MEETINGS = 10;

export interface GeneratedAgenda {
  proposed: AgendaItem[];
  carried: AgendaItem[];
}

/**
 * The automatic part of an agenda: proposals from the community's (or compound's) overdue,
 * escalated and disputed work orders, and carry-overs of unfinished business from the earlier
 * meetings of the same track (open action items, deferred decisions, items left undecided).
 * A work order already on an open meeting's agenda is never proposed again; a closed order
 * that was discussed once is not proposed again either.
 */
@Injectable()
export class AgendaGenerator {
  constructor(private readonly audit: AuditLog) {}

  /** The next scheduled meeting of the meeting's track (same community, same compound or none). */
  async nextMeeting(em: EntityManager, meeting: Pick<Meeting, 'community' | 'compound'>): Promise<Meeting | null> {
    return em.findOne(
      Meeting,
      { community: meeting.community.id, compound: meeting.compound?.id ?? null, status: 'scheduled' },
      { orderBy: { startsAt: 'asc', seq: 'asc' }, populate: ['community', 'compound'] },
    );
  }

  async generate(em: EntityManager, meeting: Meeting, actor: Actor, now = new Date()): Promise<GeneratedAgenda> {
    const cursor = { next: await nextPosition(em, meeting) };
    const carried = await this.carryOver(em, meeting, cursor);
    const proposed = await this.propose(em, meeting, now, cursor);
    if (carried.length + proposed.length > 0) {
      this.audit.record(em, {
        subjectType: 'meeting',
        subjectId: meeting.id,
        action: 'agenda_generated',
        actor,
        text: `${proposed.length} proposed from work orders, ${carried.length} carried over`,
        details: { proposed: proposed.map((i) => i.id), carried: carried.map((i) => i.id) },
      });
    }
    await em.flush();
    return { proposed, carried };
  }

  private async propose(em: EntityManager, meeting: Meeting, now: Date, cursor: { next: number }): Promise<AgendaItem[]> {
    const open = [...OPEN_STATUSES];
    const place: FilterQuery<WorkOrder> = meeting.compound ? { community: meeting.community.id, compound: meeting.compound.id } : { community: meeting.community.id };
    const candidates = await em.find(
      WorkOrder,
      {
        $and: [
          place,
          // Action items come back as carry-overs, not as proposals.
          { source: { $ne: 'meeting' } },
          {
            $or: [
              overdueWhere(now),
              { status: { $in: open }, level: { $ne: 'community' } },
              { status: { $in: [...open, 'resolved'] }, reopenCount: { $gt: 0 } },
              { status: 'closed', closingReason: 'not_responsible' },
            ],
          },
        ],
      },
      { orderBy: { reportedAt: 'asc', id: 'asc' }, limit: MAX_PROPOSALS * 2 },
    );
    if (candidates.length === 0) return [];
    const taken = await this.ordersOnAgendas(em, candidates);
    const fresh = candidates.filter((o) => !taken.onOpen.has(o.id) && !(o.status === 'closed' && taken.ever.has(o.id))).slice(0, MAX_PROPOSALS);
    const items: AgendaItem[] = [];
    for (const order of fresh) {
      const { source, why } = classify(order, now);
      const item = em.create(AgendaItem, {
        meeting,
        position: cursor.next++,
        source,
        title: clip(`${order.number} ${order.title}`, 200),
        description: why,
        status: 'proposed',
      });
      em.create(AgendaItemOrder, { meeting, item, workOrderId: order.id });
      items.push(item);
    }
    return items;
  }

  /** Unfinished business of the track's closed meetings, once per origin. */
  private async carryOver(em: EntityManager, meeting: Meeting, cursor: { next: number }): Promise<AgendaItem[]> {
    const track = { community: meeting.community.id, compound: meeting.compound?.id ?? null };
    const closed = await em.find(Meeting, { ...track, status: 'closed' }, { orderBy: { closedAt: 'desc' }, limit: CARRY_LOOKBACK_MEETINGS });
    if (closed.length === 0) return [];
    const items: AgendaItem[] = [];

    // 1. Open action items of decisions taken by meetings of this track, not on an open agenda.
    // Bounded by the open action items of the community, however long its history.
    const actions = await em.find(
      WorkOrder,
      { community: meeting.community.id, source: 'meeting', meetingDecisionId: { $ne: null }, status: { $in: [...OPEN_STATUSES] } },
      { orderBy: { createdAt: 'asc' } },
    );
    const decisionIds = [...new Set(actions.map((a) => a.meetingDecisionId!))];
    const decisions =
      decisionIds.length > 0
        ? await em.find(Decision, { id: { $in: decisionIds }, meeting: { ...track, status: 'closed' } }, { populate: ['item', 'meeting'], orderBy: { decidedAt: 'asc' } })
        : [];
    const taken = await this.ordersOnAgendas(em, actions);
    for (const decision of decisions) {
      const open = actions.filter((a) => a.meetingDecisionId === decision.id && !taken.onOpen.has(a.id));
      if (open.length === 0) continue;
      const item = em.create(AgendaItem, {
        meeting,
        position: cursor.next++,
        source: 'carry_over',
        title: decision.item.title,
        description: `Carried over from meeting #${decision.meeting.seq}: ${open.length} action item(s) unfinished (${open.map((o) => o.number).join(', ')})`,
        status: 'accepted',
        carriedFromItemId: decision.item.id,
        carriedFromDecisionId: decision.id,
      });
      for (const order of open) em.create(AgendaItemOrder, { meeting, item, workOrderId: order.id });
      items.push(item);
    }

    // 2. Items left undecided (accepted, no decision) or deferred, not carried yet.
    const previous = await em.find(
      AgendaItem,
      { meeting: { $in: closed.map((m) => m.id) }, status: 'accepted' },
      { populate: ['meeting'], orderBy: { position: 'asc' } },
    );
    if (previous.length === 0) return items;
    const itemDecisions = await em.find(Decision, { item: { $in: previous.map((i) => i.id) } });
    // A carry into a meeting that was then cancelled does not count: it is carried again.
    const alreadyCarried = await em.find(AgendaItem, { carriedFromItemId: { $in: previous.map((i) => i.id) }, meeting: { status: { $ne: 'cancelled' } } }, { fields: ['carriedFromItemId'] });
    const carriedIds = new Set(alreadyCarried.map((i) => i.carriedFromItemId));
    const links = await em.find(AgendaItemOrder, { item: { $in: previous.map((i) => i.id) } });
    const linkedTaken = await this.ordersOnAgendas(em, links.map((l) => ({ id: l.workOrderId })));
    for (const prior of previous) {
      const decision = itemDecisions.find((d) => d.item.id === prior.id);
      if (carriedIds.has(prior.id) || (decision && decision.outcome !== 'deferred')) continue;
      const item = em.create(AgendaItem, {
        meeting,
        position: cursor.next++,
        source: 'carry_over',
        title: prior.title,
        description: decision ? `Deferred at meeting #${prior.meeting.seq}` : `Not decided at meeting #${prior.meeting.seq}`,
        status: 'accepted',
        carriedFromItemId: prior.id,
        carriedFromDecisionId: decision?.id,
      });
      for (const link of links.filter((l) => l.item.id === prior.id && !linkedTaken.onOpen.has(l.workOrderId))) {
        em.create(AgendaItemOrder, { meeting, item, workOrderId: link.workOrderId });
        linkedTaken.onOpen.add(link.workOrderId);
      }
      items.push(item);
    }
    return items;
  }

  /** Which of these orders are on an open meeting's agenda now, and which were ever on any. */
  private async ordersOnAgendas(em: EntityManager, orders: readonly { id: string }[]): Promise<{ onOpen: Set<string>; ever: Set<string> }> {
    if (orders.length === 0) return { onOpen: new Set(), ever: new Set() };
    const links = await em.find(AgendaItemOrder, { workOrderId: { $in: orders.map((o) => o.id) } }, { populate: ['meeting'] });
    return {
      onOpen: new Set(links.filter((l) => OPEN_MEETING_STATUSES.includes(l.meeting.status)).map((l) => l.workOrderId)),
      ever: new Set(links.map((l) => l.workOrderId)),
    };
  }
}

export async function nextPosition(em: EntityManager, meeting: Meeting): Promise<number> {
  const last = await em.findOne(AgendaItem, { meeting }, { orderBy: { position: 'desc' }, fields: ['position'] });
  return (last?.position ?? 0) + 1;
}

function classify(order: WorkOrder, now: Date): { source: AgendaSource; why: string } {
  const open = OPEN_STATUSES.includes(order.status);
  if (open && order.level !== 'community') return { source: 'escalated_order', why: `Escalated to ${order.level} level (${order.escalations} escalation(s))` };
  if (isOverdue(order, now)) {
    return !order.acceptedAt && order.acceptDueAt && order.acceptDueAt < now
      ? { source: 'overdue_order', why: `Not accepted: accept deadline ${order.acceptDueAt.toISOString()} passed` }
      : { source: 'overdue_order', why: `Not resolved: resolve deadline ${order.resolveDueAt?.toISOString()} passed` };
  }
  if (order.status === 'closed' && order.closingReason === 'not_responsible') {
    return { source: 'disputed_order', why: `Closed as not responsible${order.referredToName ? ` (referred to ${order.referredToName})` : ''}` };
  }
  return { source: 'disputed_order', why: `Reopened ${order.reopenCount} time(s)` };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
