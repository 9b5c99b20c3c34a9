import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Actor, actorOf } from '../audit/actor';
import { AuditLog } from '../audit/audit-log';
import { Principal } from '../identity/principal';
import { Role } from '../identity/roles';
import { Compound } from '../org/entities/compound.entity';
import { Party } from '../org/entities/party.entity';
import { assertText, flushOrConflict, isUuid } from '../org/org-errors';
import { PartyKind } from '../org/org-level';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { AgendaGenerator, GeneratedAgenda, nextPosition } from './agenda-generator';
import { AgendaItem, AgendaItemOrder } from './entities/agenda-item.entity';
import { Decision } from './entities/decision.entity';
import { Meeting } from './entities/meeting.entity';
import { assertConvener, assertStatus, canConvene, findVisibleMeeting } from './meeting-access';
import { AgendaItemRecord, loadMeetingRecord } from './meeting-record';
import { AgendaSource, AgendaStatus } from './meeting-states';
import { partiesOfAccount } from './party-membership';

export interface AgendaEntryInput {
  title: string;
  description?: string;
  /** Work orders of the meeting's community the item is about. */
  workOrderIds?: string[];
}

export interface MotionInput extends AgendaEntryInput {
  /** The owners' committee tabling it: needed only when the convener registers it on the committee's behalf. */
  partyId?: string;
}

export interface AgendaItemChange {
  status?: AgendaStatus;
  title?: string;
  description?: string | null;
}

const MAX_LINKED_ORDERS = 50;

/**
 * The agenda: automatic proposals (AgendaGenerator), owners' committee motions, resident
 * proposals registered by a community worker; the convener accepts, orders and drops items.
 */
@Injectable()
export class AgendaService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly generator: AgendaGenerator,
  ) {}

  async list(principal: Principal, meetingId: string): Promise<AgendaItemRecord[]> {
    const em = this.em.fork();
    return (await loadMeetingRecord(em, await findVisibleMeeting(em, principal.scope, meetingId))).agenda;
  }

  /** Proposals from the work orders as they stand now, and carry-overs, without duplicates. */
  async refresh(principal: Principal, meetingId: string): Promise<GeneratedAgenda> {
    return this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
      assertConvener(principal, meeting, 'refresh the agenda');
      assertStatus(meeting, ['scheduled', 'in_session'], 'refresh the agenda');
      const generated = await this.generator.generate(em, meeting, actorOf(principal));
      await flushOrConflict(em, 'the agenda was refreshed at the same time: reload it', 'id');
      return generated;
    });
  }

  /** An owners' committee motion, tabled by a member of an owners' committee of the community (or by the convener for it). */
  async addMotion(principal: Principal, meetingId: string, input: MotionInput): Promise<AgendaItemRecord> {
    return this.add(principal, meetingId, input, 'motion', async (em, meeting) => {
      const committees = await em.find(Party, {
        kind: PartyKind.OwnersCommittee,
        community: meeting.community.id,
        ...(meeting.compound ? { compound: meeting.compound.id } : {}),
      });
      const own = principal.kind === 'account' ? (await partiesOfAccount(em, principal.id)).filter((p) => committees.some((c) => c.id === p.id)) : [];
      const compounds = await em.find(Compound, { community: meeting.community.id, ...(meeting.compound ? { id: meeting.compound.id } : {}) }, { fields: ['id'] });
      const seated = principal.grants.some((g) => g.role === Role.OwnersCommittee && compounds.some((c) => c.id === g.compoundId));
      if (input.partyId !== undefined) {
        const party = committees.find((c) => c.id === input.partyId);
        if (!party) throw DomainError.validation(`party ${input.partyId} is not an owners' committee of this meeting's community`, 'partyId');
        if (!own.some((p) => p.id === party.id) && !canConvene(principal, meeting)) {
          throw DomainError.forbidden(`you do not belong to ${party.name}: a motion is tabled by a member of the owners' committee`);
        }
        return party;
      }
      if (own.length === 1) return own[0]!;
      if (own.length > 1) throw DomainError.validation('you sit on more than one owners\' committee here: name the one tabling the motion', 'partyId');
      if (seated) return undefined;
      throw DomainError.forbidden(`only a member of an owners' committee of community ${meeting.community.name} tables a motion`);
    });
  }

  /** A resident's proposal, registered by a community worker (the convener's side); no personal data in the text. */
  async addProposal(principal: Principal, meetingId: string, input: AgendaEntryInput): Promise<AgendaItemRecord> {
    return this.add(principal, meetingId, input, 'resident_proposal', async (_em, meeting) => {
      assertConvener(principal, meeting, 'register a resident proposal');
      return undefined;
    });
  }

  async updateItem(principal: Principal, meetingId: string, itemId: string, change: AgendaItemChange): Promise<AgendaItemRecord> {
    const actor = actorOf(principal);
    return this.em.fork().transactional(async (em) => {
      const { meeting, item } = await this.convenerItem(em, principal, meetingId, itemId);
      const before = item.status;
      if (change.status !== undefined && change.status !== item.status) {
        if (item.status === 'accepted' && (await this.decided(em, item))) throw new DomainError('state', `item "${item.title}" is decided: it stays on the agenda`);
        item.status = change.status;
      }
      if (change.title !== undefined) item.title = assertText(change.title, 'title', 200);
      if (change.description !== undefined) item.description = change.description === null ? undefined : assertText(change.description, 'description', 4000);
      this.audit.record(em, {
        subjectType: 'meeting',
        subjectId: meeting.id,
        action: before !== item.status ? `agenda_item_${item.status}` : 'agenda_item_edited',
        actor,
        fromState: before,
        toState: item.status,
        text: item.title,
        details: { itemId: item.id },
      });
      await em.flush();
      return this.itemRecord(em, meeting, item.id);
    });
  }

  /** Puts the listed items first, in this order; the others keep their relative order after them. */
  async reorder(principal: Principal, meetingId: string, itemIds: string[]): Promise<AgendaItemRecord[]> {
    const actor = actorOf(principal);
    return this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
      assertConvener(principal, meeting, 'order the agenda');
      assertStatus(meeting, ['scheduled', 'in_session'], 'order the agenda');
      const items = await em.find(AgendaItem, { meeting }, { orderBy: { position: 'asc', createdAt: 'asc' } });
      if (new Set(itemIds).size !== itemIds.length) throw DomainError.validation('an item is listed twice', 'itemIds');
      const unknown = itemIds.filter((id) => !items.some((i) => i.id === id));
      if (unknown.length > 0) throw DomainError.validation(`not items of meeting #${meeting.seq}: ${unknown.join(', ')}`, 'itemIds');
      const ordered = [...itemIds.map((id) => items.find((i) => i.id === id)!), ...items.filter((i) => !itemIds.includes(i.id))];
      ordered.forEach((item, index) => (item.position = index + 1));
      this.audit.record(em, { subjectType: 'meeting', subjectId: meeting.id, action: 'agenda_ordered', actor, details: { order: ordered.map((i) => i.id) } });
      await em.flush();
      return (await loadMeetingRecord(em, meeting)).agenda;
    });
  }

  private async add(
    principal: Principal,
    meetingId: string,
    input: AgendaEntryInput,
    source: AgendaSource,
    proposerParty: (em: EntityManager, meeting: Meeting) => Promise<Party | undefined>,
  ): Promise<AgendaItemRecord> {
    const actor: Actor = actorOf(principal);
    const title = assertText(input.title, 'title', 200);
    const description = input.description?.trim() ? assertText(input.description, 'description', 4000) : undefined;
    return this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
      assertStatus(meeting, ['scheduled', 'in_session'], `add a ${source.replace('_', ' ')}`);
      const party = await proposerParty(em, meeting);
      const orders = await this.linkedOrders(em, meeting, input.workOrderIds ?? []);
      const item = em.create(AgendaItem, {
        meeting,
        position: await nextPosition(em, meeting),
        source,
        title,
        description,
        status: 'proposed',
        proposerAccountId: principal.kind === 'account' ? principal.id : undefined,
        proposerName: principal.name,
        proposerPartyId: party?.id,
      });
      for (const order of orders) em.create(AgendaItemOrder, { meeting, item, workOrderId: order.id });
      this.audit.record(em, {
        subjectType: 'meeting',
        subjectId: meeting.id,
        action: source === 'motion' ? 'motion_tabled' : 'proposal_registered',
        actor,
        text: title,
        details: { itemId: item.id, partyId: party?.id ?? null, workOrders: orders.map((o) => o.id) },
      });
      await flushOrConflict(em, 'one of these work orders was put on this agenda at the same time', 'workOrderIds');
      return this.itemRecord(em, meeting, item.id);
    });
  }

  /** Work orders of the meeting's community (and compound), not on this agenda yet. */
  private async linkedOrders(em: EntityManager, meeting: Meeting, ids: string[]): Promise<WorkOrder[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    if (unique.length > MAX_LINKED_ORDERS) throw DomainError.validation(`at most ${MAX_LINKED_ORDERS} work orders per item`, 'workOrderIds');
    const orders = await em.find(WorkOrder, {
      id: { $in: unique.filter(isUuid) },
      community: meeting.community.id,
      ...(meeting.compound ? { compound: meeting.compound.id } : {}),
    });
    const missing = unique.filter((id) => !orders.some((o) => o.id === id));
    if (missing.length > 0) throw DomainError.validation(`not work orders of this meeting's ${meeting.compound ? 'compound' : 'community'}: ${missing.join(', ')}`, 'workOrderIds');
    const onAgenda = await em.find(AgendaItemOrder, { meeting, workOrderId: { $in: unique } }, { populate: ['item'] });
    if (onAgenda.length > 0) {
      const order = orders.find((o) => o.id === onAgenda[0]!.workOrderId)!;
      throw DomainError.conflict(`work order ${order.number} is on this agenda already (item "${onAgenda[0]!.item.title}")`, 'workOrderIds');
    }
    return orders;
  }

  private async convenerItem(em: EntityManager, principal: Principal, meetingId: string, itemId: string): Promise<{ meeting: Meeting; item: AgendaItem }> {
    const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
    const item = isUuid(itemId) ? await em.findOne(AgendaItem, { id: itemId, meeting }) : null;
    if (!item) throw DomainError.notFound(`agenda item of meeting #${meeting.seq}`, itemId);
    assertConvener(principal, meeting, 'change the agenda');
    assertStatus(meeting, ['scheduled', 'in_session'], 'change the agenda');
    return { meeting, item };
  }

  private async decided(em: EntityManager, item: AgendaItem): Promise<boolean> {
    return (await em.count(Decision, { item })) > 0;
  }

  private async itemRecord(em: EntityManager, meeting: Meeting, itemId: string): Promise<AgendaItemRecord> {
    const record = await loadMeetingRecord(em, meeting);
    return record.agenda.find((a) => a.item.id === itemId)!;
  }
}
