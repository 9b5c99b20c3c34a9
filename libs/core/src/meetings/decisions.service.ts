import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Actor, actorOf } from '../audit/actor';
import { AuditLog } from '../audit/audit-log';
import { AlertSeverity } from '../devices/device-type';
import { Account } from '../identity/entities/account.entity';
import { Principal } from '../identity/principal';
import { Party } from '../org/entities/party.entity';
import { flushOrConflict, isUuid } from '../org/org-errors';
import { PartyKind } from '../org/org-level';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { AgendaItem, AgendaItemOrder } from './entities/agenda-item.entity';
import { Decision, Position } from './entities/decision.entity';
import { Meeting } from './entities/meeting.entity';
import { assertStatus, canConvene, findVisibleMeeting } from './meeting-access';
import { ActionItemRecord, loadMeetingRecord, loadSeats, PartySeat, quorumOf } from './meeting-record';
import { ruleOutcome, tally } from './meeting-rules';
import { Outcome, PositionKind } from './meeting-states';
import { notAMemberReason } from './party-membership';
import { WorkOrdersService } from '../work-orders/work-orders.service';

export interface PositionInput {
  partyId: string;
  position: PositionKind;
  statement?: string;
}

export interface ActionItemInput {
  title?: string;
  description?: string;
  ownerPartyId?: string;
  /** The owner person: an account belonging to the owner party. */
  ownerAccountId?: string;
  dueAt?: Date;
  severity?: AlertSeverity;
}

export interface DecideInput {
  /** Left out: the meeting's rule decides from the positions. 'deferred' needs neither quorum nor positions. */
  outcome?: Outcome;
  /** Positions recorded by the convener on the parties' behalf, together with the decision. */
  positions?: PositionInput[];
  reviewDate?: Date;
  summary?: string;
  actionItems?: ActionItemInput[];
}

const MAX_ACTION_ITEMS = 20;

/**
 * Positions and decisions on agenda items, and the action items of adopted decisions, which
 * are work orders (with an SLA, timers and notifications, opened through the work-orders
 * feature in the same transaction: a refused action item leaves nothing half-saved).
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly workOrders: WorkOrdersService,
  ) {}

  /** A party's position, recorded by one of its members or by the convener on its behalf. */
  async recordPosition(principal: Principal, meetingId: string, itemId: string, input: PositionInput): Promise<Position> {
    const actor = actorOf(principal);
    return this.em.fork().transactional(async (em) => {
      const { meeting, item } = await this.openItem(em, principal, meetingId, itemId, 'record a position');
      const seats = await loadSeats(em, meeting);
      const seat = seatOf(seats, input.partyId, 'partyId', meeting);
      let onBehalf = false;
      const reason = principal.kind === 'account' ? await notAMemberReason(em, principal.id, seat.seat.party) : 'an API key belongs to no party';
      if (reason) {
        if (!canConvene(principal, meeting)) {
          throw DomainError.forbidden(`${reason}: a position is recorded by a member of the party, or by the convener on its behalf`);
        }
        onBehalf = true;
      }
      assertPresent(seat);
      const position = await this.upsertPosition(em, meeting, item, seat.seat.party, input, principal, onBehalf);
      this.audit.record(em, {
        subjectType: 'meeting',
        subjectId: meeting.id,
        action: 'position_recorded',
        actor,
        text: `${seat.seat.name}: ${input.position} on "${item.title}"`,
        details: { itemId: item.id, partyId: seat.seat.party.id, position: input.position, onBehalf },
      });
      await flushOrConflict(em, `a position of ${seat.seat.name} was recorded at the same time: reload and try again`, 'partyId');
      return position;
    });
  }

  async decide(principal: Principal, meetingId: string, itemId: string, input: DecideInput): Promise<Decision> {
    const actor = actorOf(principal);
    const decision = await this.em.fork().transactional(async (em) => {
      const { meeting, item } = await this.openItem(em, principal, meetingId, itemId, 'decide');
      if (!canConvene(principal, meeting)) throw DomainError.forbidden(`only a convener of community ${meeting.community.name} may record a decision`);
      const seats = await loadSeats(em, meeting);
      const actionInputs = input.actionItems ?? [];
      const deferred = input.outcome === 'deferred';
      if (!deferred) {
        const quorum = quorumOf(meeting, seats);
        if (!quorum.met) throw new DomainError('state', quorum.reason ?? 'quorum not met');
      }
      const given = new Set<string>();
      for (const [index, p] of (input.positions ?? []).entries()) {
        const seat = seatOf(seats, p.partyId, `positions.${index}.partyId`, meeting);
        if (given.has(seat.seat.party.id)) throw DomainError.validation(`two positions for party ${seat.seat.name}`, `positions.${index}.partyId`);
        given.add(seat.seat.party.id);
        assertPresent(seat);
        await this.upsertPosition(em, meeting, item, seat.seat.party, p, principal, true);
      }
      await em.flush();
      const positions = await em.find(Position, { item });
      let outcome: Outcome;
      let reason: string;
      if (deferred) {
        outcome = 'deferred';
        reason = 'deferred by the convener';
      } else {
        const present = seats.filter((s) => s.present);
        const missing = present.filter((s) => !positions.some((p) => p.party.id === s.seat.party.id));
        if (missing.length > 0) {
          throw new DomainError('state', `every present party states a position first: missing from ${missing.map((s) => `${s.seat.name} (${s.seat.kind})`).join(', ')}`);
        }
        const counted = positions.filter((p) => present.some((s) => s.seat.party.id === p.party.id)).map((p) => p.position);
        const result = ruleOutcome(meeting.decisionRule, tally(present.length, counted));
        if (input.outcome !== undefined && input.outcome !== result.outcome) {
          throw new DomainError('state', `the positions do not give "${input.outcome}" under the ${meeting.decisionRule} rule: ${result.reason}`);
        }
        outcome = result.outcome;
        reason = result.reason;
      }
      if (outcome === 'adopted' && actionInputs.length === 0) {
        throw DomainError.validation('an adopted decision needs at least one action item (owner party, owner person, due date)', 'actionItems');
      }
      if (outcome !== 'adopted' && actionInputs.length > 0) {
        throw DomainError.validation(`a ${outcome} decision has no action items`, 'actionItems');
      }
      if (actionInputs.length > MAX_ACTION_ITEMS) throw DomainError.validation(`at most ${MAX_ACTION_ITEMS} action items per decision`, 'actionItems');
      const owners = await this.checkActionItems(em, meeting, seats, actionInputs);
      const decision = em.create(Decision, {
        meeting,
        item,
        outcome,
        rule: meeting.decisionRule,
        reason,
        summary: input.summary?.trim() || undefined,
        reviewDate: input.reviewDate,
        decidedByAccountId: principal.kind === 'account' ? principal.id : undefined,
      });
      await em.flush();
      const orderIds = await this.openActionItems(em, meeting, item, decision, actionInputs, owners, principal, actor);
      this.audit.record(em, {
        subjectType: 'meeting',
        subjectId: meeting.id,
        action: 'decided',
        actor,
        toState: outcome,
        text: `"${item.title}": ${outcome} (${reason})`,
        details: { itemId: item.id, decisionId: decision.id, outcome, rule: meeting.decisionRule, reviewDate: input.reviewDate?.toISOString() ?? null, actionItems: orderIds },
      });
      await em.flush();
      return decision;
    });
    this.outbox.committed();
    return decision;
  }

  /** Progress of an action item, by its owner person, a member of its owner party, or the convener. */
  async setProgress(principal: Principal, meetingId: string, orderId: string, percent: number): Promise<WorkOrder> {
    const actor = actorOf(principal);
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw DomainError.validation('progress is a whole percentage from 0 to 100', 'percent');
    const order = await this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
      const order = isUuid(orderId) ? await em.findOne(WorkOrder, { id: orderId }) : null;
      const decision = order?.meetingDecisionId ? await em.findOne(Decision, { id: order.meetingDecisionId, meeting }) : null;
      if (!order || !decision) throw DomainError.notFound(`action item of meeting #${meeting.seq}`, orderId);
      if (!canConvene(principal, meeting) && order.assignee?.id !== principal.id) {
        const party = order.ownerPartyId ? await em.findOne(Party, { id: order.ownerPartyId }) : null;
        const reason = party && principal.kind === 'account' ? await notAMemberReason(em, principal.id, party) : 'no owner party';
        if (reason) throw DomainError.forbidden(`${reason}: progress is reported by the owner, the owner party or the convener`);
      }
      await this.workOrders.setProgress(em, order.id, percent, actor);
      await em.flush();
      return order;
    });
    this.outbox.committed();
    return order;
  }

  async actionItems(principal: Principal, meetingId: string): Promise<ActionItemRecord[]> {
    const em = this.em.fork();
    const record = await loadMeetingRecord(em, await findVisibleMeeting(em, principal.scope, meetingId));
    return record.agenda.flatMap((a) => a.actionItems);
  }

  private async openItem(em: EntityManager, principal: Principal, meetingId: string, itemId: string, action: string): Promise<{ meeting: Meeting; item: AgendaItem }> {
    const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
    const item = isUuid(itemId) ? await em.findOne(AgendaItem, { id: itemId, meeting }) : null;
    if (!item) throw DomainError.notFound(`agenda item of meeting #${meeting.seq}`, itemId);
    assertStatus(meeting, ['in_session'], `${action} (decisions are taken in session)`);
    if (item.status !== 'accepted') throw new DomainError('state', `cannot ${action}: item "${item.title}" is ${item.status}, the convener must accept it onto the agenda first`);
    if ((await em.count(Decision, { item })) > 0) throw new DomainError('state', `cannot ${action}: item "${item.title}" is decided already`);
    return { meeting, item };
  }

  private async upsertPosition(em: EntityManager, meeting: Meeting, item: AgendaItem, party: Party, input: PositionInput, principal: Principal, onBehalf: boolean): Promise<Position> {
    const statement = input.statement?.trim() || undefined;
    if (statement && statement.length > 2000) throw DomainError.validation('statement must be at most 2000 characters', 'statement');
    const fields = {
      position: input.position,
      statement,
      recordedByAccountId: principal.kind === 'account' ? principal.id : undefined,
      recordedByName: principal.name,
      onBehalf,
      recordedAt: new Date(),
    };
    const existing = await em.findOne(Position, { item, party });
    if (existing) return em.assign(existing, fields);
    return em.create(Position, { meeting, item, party, ...fields });
  }

  /** Every action item checked before anything is written. */
  private async checkActionItems(em: EntityManager, meeting: Meeting, seats: PartySeat[], inputs: ActionItemInput[]): Promise<{ party: Party; account: Account }[]> {
    const now = Date.now();
    const owners: { party: Party; account: Account }[] = [];
    for (const [index, input] of inputs.entries()) {
      const at = `actionItems.${index}`;
      if (!input.ownerPartyId) throw DomainError.validation(`action item ${index + 1} has no owner: an action item needs an owner party`, `${at}.ownerPartyId`);
      if (!input.ownerAccountId) throw DomainError.validation(`action item ${index + 1} has no owner: an action item needs an owner person (an account of the owner party)`, `${at}.ownerAccountId`);
      if (!input.dueAt || Number.isNaN(input.dueAt.getTime())) throw DomainError.validation(`action item ${index + 1} needs a due date`, `${at}.dueAt`);
      if (input.dueAt.getTime() <= now) throw DomainError.validation(`action item ${index + 1}: the due date must lie in the future`, `${at}.dueAt`);
      const party = isUuid(input.ownerPartyId) ? await em.findOne(Party, { id: input.ownerPartyId }, { populate: ['propertyCompany'] }) : null;
      const present = seats.some((s) => s.present && s.seat.party.id === input.ownerPartyId);
      if (!party || (!present && party.community.id !== meeting.community.id)) {
        throw DomainError.validation(`action item ${index + 1}: owner party ${input.ownerPartyId} is neither present at the meeting nor a party of community ${meeting.community.name}`, `${at}.ownerPartyId`);
      }
      const account = isUuid(input.ownerAccountId) ? await em.findOne(Account, { id: input.ownerAccountId, active: true }) : null;
      if (!account) throw DomainError.validation(`action item ${index + 1}: owner person ${input.ownerAccountId} is not an active account`, `${at}.ownerAccountId`);
      const reason = await notAMemberReason(em, account.id, party);
      if (reason) throw DomainError.validation(`action item ${index + 1}: ${reason}; the owner person must belong to the owner party`, `${at}.ownerAccountId`);
      owners.push({ party, account });
    }
    return owners;
  }

  private async openActionItems(
    em: EntityManager,
    meeting: Meeting,
    item: AgendaItem,
    decision: Decision,
    inputs: ActionItemInput[],
    owners: { party: Party; account: Account }[],
    principal: Principal,
    actor: Actor,
  ): Promise<string[]> {
    const linked = await em.find(AgendaItemOrder, { item });
    const linkedOrders = linked.length > 0 ? await em.find(WorkOrder, { id: { $in: linked.map((l) => l.workOrderId) } }, { fields: ['compound'] }) : [];
    const linkedCompounds = [...new Set(linkedOrders.map((o) => o.compound?.id).filter((id): id is string => id !== undefined))];
    const ids: string[] = [];
    for (const [index, input] of inputs.entries()) {
      const { party, account } = owners[index]!;
      const compoundId = meeting.compound?.id ?? party.compound?.id ?? (linkedCompounds.length === 1 ? linkedCompounds[0] : undefined);
      const title = (input.title?.trim() || item.title).slice(0, 200);
      const result = await this.workOrders.open(
        em,
        {
          source: 'meeting',
          category: 'meeting',
          type: 'action_item',
          severity: input.severity ?? 'minor',
          title,
          description: [`联席会议第${meeting.seq}次 决定事项: ${item.title}`, input.description?.trim()].filter(Boolean).join('\n'),
          communityId: meeting.community.id,
          compoundId,
          route: {
            companyId: party.kind === PartyKind.PropertyCompany ? party.propertyCompany?.id : undefined,
            reason: `joint meeting #${meeting.seq} decision on "${item.title}": owner party ${party.name} (${party.kind}), owner ${account.displayName}`,
          },
          assigneeAccountId: account.id,
          reporterAccountId: principal.kind === 'account' ? principal.id : undefined,
          meetingDecisionId: decision.id,
          ownerPartyId: party.id,
          resolveDueAt: input.dueAt,
        },
        actor,
      );
      ids.push(result.workOrderId);
    }
    return ids;
  }
}

function seatOf(seats: PartySeat[], partyId: string, field: string, meeting: Meeting): PartySeat {
  const seat = seats.find((s) => s.seat.party.id === partyId);
  if (!seat) throw DomainError.validation(`party ${partyId} is not invited to meeting #${meeting.seq}`, field);
  return seat;
}

function assertPresent(seat: PartySeat): void {
  if (!seat.present) {
    throw new DomainError('state', `${seat.seat.name} (${seat.seat.kind}) is absent: positions are recorded only for parties present at the meeting`);
  }
}
