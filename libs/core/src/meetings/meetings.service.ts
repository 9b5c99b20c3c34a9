import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Actor, actorOf } from '../audit/actor';
import { AuditLog } from '../audit/audit-log';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { Principal } from '../identity/principal';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { Party } from '../org/entities/party.entity';
import { assertText, isUuid, outsideScope } from '../org/org-errors';
import { findFilterUnit } from '../org/org-filters';
import { OrgLevel, PartyKind } from '../org/org-level';
import { compoundInScope, unitInScope } from '../org/scope';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { Page, PageQuery, pageWindow } from '../shared/paging';
import { AgendaGenerator } from './agenda-generator';
import { MeetingParty } from './entities/meeting-party.entity';
import { Meeting } from './entities/meeting.entity';
import { assertConvener, assertStatus, findVisibleMeeting, meetingScopeFilter } from './meeting-access';
import { MeetingNotices } from './meeting-notices';
import { loadMeetingRecord, MeetingRecord } from './meeting-record';
import { DecisionRule, MeetingStatus } from './meeting-states';
import { MinutesService } from './minutes.service';
import { assertTimes, convenerOf, quorumRuleOf } from './meeting-input';

export interface CreateMeetingInput {
  communityId: string;
  compoundId?: string;
  title: string;
  place: string;
  startsAt: Date;
  endsAt: Date;
  /** Party organisation or residents' committee; by default the community's Party organisation. */
  convenerPartyId?: string;
  /** Invited parties; by default every party of the community (and of the compound, for a compound meeting). */
  partyIds?: string[];
  quorum?: { requiredKinds?: PartyKind[]; minParties?: number };
  decisionRule?: DecisionRule;
}

export interface UpdateMeetingInput {
  title?: string;
  place?: string;
  startsAt?: Date;
  endsAt?: Date;
}

export interface MeetingListQuery extends PageQuery {
  communityId?: string;
  compoundId?: string;
  status?: MeetingStatus;
  from?: Date;
  to?: Date;
}

/** Joint meetings: scheduling, the session, closing with minutes, cancelling. */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly notices: MeetingNotices,
    private readonly generator: AgendaGenerator,
    private readonly minutes: MinutesService,
  ) {}

  async create(principal: Principal, input: CreateMeetingInput): Promise<MeetingRecord> {
    const actor = actorOf(principal);
    const title = assertText(input.title, 'title', 200);
    const place = assertText(input.place, 'place', 200);
    assertTimes(input.startsAt, input.endsAt);
    for (let attempt = 1; ; attempt++) {
      try {
        const record = await this.em.fork().transactional(async (em) => {
          const { community, compound } = await this.placement(em, principal, input);
          const parties = await this.invitedParties(em, community, compound, input.partyIds);
          const convener = convenerOf(parties, input.convenerPartyId);
          const quorum = quorumRuleOf(parties, input.quorum);
          const last = await em.findOne(Meeting, { community }, { orderBy: { seq: 'desc' }, fields: ['seq'] });
          const meeting = em.create(Meeting, {
            seq: (last?.seq ?? 0) + 1,
            community,
            communityPath: community.path,
            compound,
            title,
            place,
            startsAt: input.startsAt,
            endsAt: input.endsAt,
            convenerParty: convener,
            convenerAccountId: principal.kind === 'account' ? principal.id : undefined,
            convenerName: principal.name,
            quorum,
            decisionRule: input.decisionRule ?? 'consensus',
          });
          for (const party of parties) em.create(MeetingParty, { meeting, party, kind: party.kind, name: party.name });
          this.audit.record(em, {
            subjectType: 'meeting',
            subjectId: meeting.id,
            action: 'scheduled',
            actor,
            toState: 'scheduled',
            text: `meeting #${meeting.seq} ${title} at ${place}, ${input.startsAt.toISOString()}`,
            details: { parties: parties.map((p) => p.id), convenerPartyId: convener.id, quorum, decisionRule: meeting.decisionRule },
          });
          await em.flush();
          await this.notices.send(em, meeting, 'meeting_notice', `v${meeting.icalSequence}`, { change: 'scheduled' }, actor);
          await this.notices.armReminders(em, meeting);
          const next = await this.generator.nextMeeting(em, meeting);
          if (next) await this.generator.generate(em, next, actor);
          await em.flush();
          return loadMeetingRecord(em, meeting);
        });
        this.outbox.committed();
        return record;
      } catch (error: unknown) {
        // Two meetings of one community created at once drew the same number: draw again.
        if (error instanceof UniqueConstraintViolationException && attempt < 3) continue;
        throw error;
      }
    }
  }

  async list(principal: Principal, query: MeetingListQuery): Promise<Page<Meeting>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<Meeting>[] = [await meetingScopeFilter(em, principal.scope)];
    if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, principal.scope, query.communityId, 'communityId');
      where.push({ communityPath: { $like: `${community.path}%` } });
    }
    if (query.compoundId !== undefined) {
      const compound = isUuid(query.compoundId) ? await em.findOne(Compound, { id: query.compoundId }, { populate: ['community'] }) : null;
      if (!compound) throw DomainError.notFound('compound', query.compoundId, 'compoundId');
      if (!compoundInScope(principal.scope, compound)) throw outsideScope(`compound ${compound.code}`, 'compoundId');
      // A compound's meetings and the community-wide meetings it sits in.
      where.push({ community: compound.community.id, $or: [{ compound: null }, { compound: compound.id }] });
    }
    if (query.status !== undefined) where.push({ status: query.status });
    if (query.from !== undefined) where.push({ endsAt: { $gte: query.from } });
    if (query.to !== undefined) where.push({ startsAt: { $lt: query.to } });
    const [items, total] = await em.findAndCount(Meeting, { $and: where }, { orderBy: { startsAt: 'desc', seq: 'desc' }, limit, offset, populate: ['community', 'compound', 'convenerParty'] });
    return { items, total, limit, offset };
  }

  async get(principal: Principal, id: string): Promise<MeetingRecord> {
    const em = this.em.fork();
    return loadMeetingRecord(em, await findVisibleMeeting(em, principal.scope, id));
  }

  /** Reschedule or rename a scheduled meeting: the parties are told, reminders re-armed, calendars get a new SEQUENCE. */
  async update(principal: Principal, id: string, input: UpdateMeetingInput): Promise<MeetingRecord> {
    const actor = actorOf(principal);
    const record = await this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, id);
      assertConvener(principal, meeting, 'change the meeting');
      assertStatus(meeting, ['scheduled'], 'change it');
      const before = { title: meeting.title, place: meeting.place, startsAt: meeting.startsAt, endsAt: meeting.endsAt };
      const startsAt = input.startsAt ?? meeting.startsAt;
      const endsAt = input.endsAt ?? meeting.endsAt;
      assertTimes(startsAt, endsAt);
      if (input.title !== undefined) meeting.title = assertText(input.title, 'title', 200);
      if (input.place !== undefined) meeting.place = assertText(input.place, 'place', 200);
      meeting.startsAt = startsAt;
      meeting.endsAt = endsAt;
      const moved = before.startsAt.getTime() !== startsAt.getTime() || before.endsAt.getTime() !== endsAt.getTime();
      const changed = moved || before.place !== meeting.place || before.title !== meeting.title;
      if (!changed) return loadMeetingRecord(em, meeting);
      meeting.icalSequence += 1;
      this.audit.record(em, {
        subjectType: 'meeting',
        subjectId: meeting.id,
        action: moved ? 'rescheduled' : 'updated',
        actor,
        details: {
          before: { ...before, startsAt: before.startsAt.toISOString(), endsAt: before.endsAt.toISOString() },
          after: { title: meeting.title, place: meeting.place, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
        },
      });
      await em.flush();
      if (moved) {
        await this.notices.disarmReminders(em, meeting, before.startsAt);
        await this.notices.armReminders(em, meeting);
      }
      await this.notices.send(em, meeting, 'meeting_notice', `v${meeting.icalSequence}`, { change: moved ? 'rescheduled' : 'updated' }, actor);
      await em.flush();
      return loadMeetingRecord(em, meeting);
    });
    this.outbox.committed();
    return record;
  }

  async start(principal: Principal, id: string): Promise<MeetingRecord> {
    return this.transition(principal, id, 'open the session', ['scheduled'], 'in_session', async (em, meeting) => {
      meeting.startedAt = new Date();
      await this.notices.disarmReminders(em, meeting, meeting.startsAt);
    });
  }

  /**
   * Closes the session: minutes v1 are generated and published to the parties, and unfinished
   * business carries over to the next scheduled meeting of the track if there is one already
   * (otherwise it does when that meeting is created).
   */
  async close(principal: Principal, id: string): Promise<MeetingRecord> {
    return this.transition(principal, id, 'close the session', ['in_session'], 'closed', async (em, meeting, actor) => {
      meeting.closedAt = new Date();
      await em.flush();
      await this.minutes.generate(em, meeting, actor);
      const next = await this.generator.nextMeeting(em, meeting);
      if (next) await this.generator.generate(em, next, actor);
    });
  }

  async cancel(principal: Principal, id: string, reason: string): Promise<MeetingRecord> {
    const text = assertText(reason, 'reason', 500);
    return this.transition(
      principal,
      id,
      'cancel the meeting',
      ['scheduled'],
      'cancelled',
      async (em, meeting, actor) => {
        meeting.cancelledAt = new Date();
        meeting.cancelReason = text;
        meeting.icalSequence += 1;
        await em.flush();
        await this.notices.disarmReminders(em, meeting, meeting.startsAt);
        await this.notices.send(em, meeting, 'meeting_notice', `v${meeting.icalSequence}`, { change: 'cancelled', reason: text }, actor);
        // Its work orders are free again: they go to the next meeting of the track, if any.
        const next = await this.generator.nextMeeting(em, meeting);
        if (next) await this.generator.generate(em, next, actor);
      },
      text,
    );
  }

  async history(principal: Principal, id: string): Promise<AuditEntry[]> {
    const em = this.em.fork();
    const meeting = await findVisibleMeeting(em, principal.scope, id);
    return this.audit.history(em, 'meeting', meeting.id);
  }

  private async transition(
    principal: Principal,
    id: string,
    action: string,
    from: MeetingStatus[],
    to: MeetingStatus,
    effect: (em: EntityManager, meeting: Meeting, actor: Actor) => Promise<void>,
    text?: string,
  ): Promise<MeetingRecord> {
    const actor = actorOf(principal);
    const record = await this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, id);
      assertConvener(principal, meeting, action);
      assertStatus(meeting, from, action);
      const previous = meeting.status;
      meeting.status = to;
      this.audit.record(em, { subjectType: 'meeting', subjectId: meeting.id, action: to === 'in_session' ? 'started' : to, actor, fromState: previous, toState: to, text });
      await effect(em, meeting, actor);
      await em.flush();
      return loadMeetingRecord(em, meeting);
    });
    this.outbox.committed();
    return record;
  }

  /** The community must be one the principal convenes in; a compound must lie in it. */
  private async placement(em: EntityManager, principal: Principal, input: CreateMeetingInput): Promise<{ community: OrgUnit; compound?: Compound }> {
    const community = isUuid(input.communityId) ? await em.findOne(OrgUnit, { id: input.communityId }) : null;
    if (!community) throw DomainError.notFound('community', input.communityId, 'communityId');
    if (community.level !== OrgLevel.Community) throw DomainError.validation(`org unit ${community.code} is a ${community.level}, not a community`, 'communityId');
    if (!unitInScope(principal.scope, community)) throw outsideScope(`community ${community.code}`, 'communityId');
    if (input.compoundId === undefined) return { community };
    const compound = isUuid(input.compoundId) ? await em.findOne(Compound, { id: input.compoundId }) : null;
    if (!compound) throw DomainError.notFound('compound', input.compoundId, 'compoundId');
    if (compound.community.id !== community.id) throw DomainError.validation(`compound ${compound.code} is not in community ${community.code}`, 'compoundId');
    return { community, compound };
  }

  private async invitedParties(em: EntityManager, community: OrgUnit, compound: Compound | undefined, partyIds: string[] | undefined): Promise<Party[]> {
    // SQL `in` never matches NULL: community-wide parties need their own arm.
    const eligible: FilterQuery<Party> = compound ? { community, $or: [{ compound: null }, { compound: compound.id }] } : { community };
    if (partyIds === undefined) {
      const parties = await em.find(Party, eligible, { orderBy: { kind: 'asc', name: 'asc' } });
      if (parties.length === 0) {
        throw DomainError.validation(`community ${community.code} has no joint-meeting parties yet: create them first (POST /parties)`, 'communityId');
      }
      return parties;
    }
    const ids = [...new Set(partyIds)];
    if (ids.length === 0) throw DomainError.validation('a meeting needs at least one invited party', 'partyIds');
    const parties = await em.find(Party, { $and: [eligible, { id: { $in: ids.filter(isUuid) } }] }, { orderBy: { kind: 'asc', name: 'asc' } });
    const missing = ids.filter((pid) => !parties.some((p) => p.id === pid));
    if (missing.length > 0) {
      throw DomainError.validation(`not a party of ${compound ? `compound ${compound.code} or ` : ''}community ${community.code}: ${missing.join(', ')}`, 'partyIds');
    }
    return parties;
  }
}
