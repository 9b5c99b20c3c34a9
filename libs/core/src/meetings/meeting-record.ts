import { EntityManager } from '@mikro-orm/knex';
import { Account } from '../identity/entities/account.entity';
import { Party } from '../org/entities/party.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { AgendaItem, AgendaItemOrder } from './entities/agenda-item.entity';
import { Decision, Position } from './entities/decision.entity';
import { MeetingAttendance } from './entities/meeting-attendance.entity';
import { MeetingParty } from './entities/meeting-party.entity';
import { Meeting } from './entities/meeting.entity';
import { evaluateQuorum, QuorumResult } from './meeting-rules';
import { Representative, representativesOf } from './party-membership';

/** An invited party, whether it is present (one of its people is), and who came for it. */
export interface PartySeat {
  seat: MeetingParty;
  present: boolean;
  attendees: MeetingAttendance[];
  /** Who may attend and act for the party (filled for views, see withRepresentatives). */
  representatives?: Representative[];
}

/** An action item: a work order opened by an adopted decision. */
export interface ActionItemRecord {
  order: WorkOrder;
  ownerParty?: Pick<Party, 'id' | 'kind' | 'name'>;
  ownerName?: string;
}

export interface AgendaItemRecord {
  item: AgendaItem;
  orders: WorkOrder[];
  positions: Position[];
  decision?: Decision;
  actionItems: ActionItemRecord[];
}

/** Everything a page (or the minutes) shows of one meeting. */
export interface MeetingRecord {
  meeting: Meeting;
  parties: PartySeat[];
  quorum: QuorumResult;
  agenda: AgendaItemRecord[];
}

export async function loadSeats(em: EntityManager, meeting: Meeting): Promise<PartySeat[]> {
  const [seats, attendances] = await Promise.all([
    em.find(MeetingParty, { meeting }, { populate: ['party'], orderBy: { kind: 'asc', name: 'asc' } }),
    em.find(MeetingAttendance, { meeting }, { orderBy: { arrivedAt: 'asc', name: 'asc' } }),
  ]);
  return seats.map((seat) => {
    const attendees = attendances.filter((a) => a.party.id === seat.party.id);
    return { seat, attendees, present: attendees.some((a) => a.present) };
  });
}

export function quorumOf(meeting: Meeting, seats: readonly PartySeat[]): QuorumResult {
  return evaluateQuorum(
    meeting.quorum,
    seats.filter((s) => s.present).map((s) => ({ kind: s.seat.kind })),
  );
}

/** Adds each party's representatives: a page offers them for attendance and as action-item owners. */
export async function withRepresentatives(em: EntityManager, seats: PartySeat[]): Promise<PartySeat[]> {
  const representatives = await representativesOf(em, seats.map((s) => s.seat.party));
  return seats.map((s) => ({ ...s, representatives: representatives.get(s.seat.party.id) ?? [] }));
}

export async function loadMeetingRecord(em: EntityManager, meeting: Meeting): Promise<MeetingRecord> {
  const parties = await withRepresentatives(em, await loadSeats(em, meeting));
  const items = await em.find(AgendaItem, { meeting }, { orderBy: { position: 'asc', createdAt: 'asc' } });
  const links = await em.find(AgendaItemOrder, { meeting });
  const decisions = await em.find(Decision, { meeting });
  const positions = await em.find(Position, { meeting }, { populate: ['party'], orderBy: { recordedAt: 'asc' } });
  const linked = links.length > 0 ? await em.find(WorkOrder, { id: { $in: links.map((l) => l.workOrderId) } }) : [];
  const actions =
    decisions.length > 0
      ? await em.find(WorkOrder, { meetingDecisionId: { $in: decisions.map((d) => d.id) } }, { orderBy: { createdAt: 'asc', number: 'asc' } })
      : [];
  const ownerParties = await partiesById(em, actions.map((a) => a.ownerPartyId));
  const owners = await accountNames(em, actions.map((a) => a.assignee?.id));
  const agenda = items.map((item): AgendaItemRecord => {
    const decision = decisions.find((d) => d.item.id === item.id);
    const orderIds = links.filter((l) => l.item.id === item.id).map((l) => l.workOrderId);
    return {
      item,
      orders: linked.filter((o) => orderIds.includes(o.id)),
      positions: positions.filter((p) => p.item.id === item.id),
      decision,
      actionItems: decision
        ? actions
            .filter((a) => a.meetingDecisionId === decision.id)
            .map((order) => ({
              order,
              ownerParty: order.ownerPartyId ? ownerParties.get(order.ownerPartyId) : undefined,
              ownerName: order.assignee ? owners.get(order.assignee.id) : undefined,
            }))
        : [],
    };
  });
  return { meeting, parties, quorum: quorumOf(meeting, parties), agenda };
}

export async function partiesById(em: EntityManager, ids: readonly (string | undefined)[]): Promise<Map<string, Party>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== undefined))];
  const parties = wanted.length > 0 ? await em.find(Party, { id: { $in: wanted } }) : [];
  return new Map(parties.map((p) => [p.id, p]));
}

export async function accountNames(em: EntityManager, ids: readonly (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== undefined))];
  const accounts = wanted.length > 0 ? await em.find(Account, { id: { $in: wanted } }, { fields: ['displayName'] }) : [];
  return new Map(accounts.map((a) => [a.id, a.displayName]));
}
