import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { Principal } from '../identity/principal';
import { findFilterUnit } from '../org/org-filters';
import { OrgLevel } from '../org/org-level';
import { DomainError } from '../shared/domain-error';
import { AgendaItem } from './entities/agenda-item.entity';
import { MeetingParty } from './entities/meeting-party.entity';
import { Meeting } from './entities/meeting.entity';
import { Calendar, CalendarEvent, renderCalendar } from './icalendar';
import { meetingScopeFilter } from './meeting-access';
import { partiesOfAccount } from './party-membership';

/** How far back a feed reaches; everything ahead is in it. */
const FEED_LOOKBACK_MS = 400 * 24 * 3600_000;
const FEED_MAX_EVENTS = 1000;
const PRODUCT_ID = '-//Smart Community//Joint Meetings//ZH';

/** iCalendar (RFC 5545) feeds of joint meetings: per community, and per person (their parties' meetings). */
@Injectable()
export class MeetingCalendar {
  constructor(private readonly em: EntityManager) {}

  async community(principal: Principal, communityId: string, now = new Date()): Promise<string> {
    const em = this.em.fork();
    const community = await findFilterUnit(em, principal.scope, communityId, 'communityId');
    if (community.level !== OrgLevel.Community) throw DomainError.validation(`org unit ${community.code} is not a community`, 'communityId');
    const meetings = await this.meetings(em, { $and: [await meetingScopeFilter(em, principal.scope), { community: community.id }] }, now);
    return this.render(em, `联席会议 ${community.name}`, meetings, now);
  }

  /** The meetings of the parties the person represents, and those they convened. */
  async mine(principal: Principal, now = new Date()): Promise<string> {
    const em = this.em.fork();
    const or: FilterQuery<Meeting>[] = [];
    if (principal.kind === 'account') {
      or.push({ convenerAccountId: principal.id });
      const parties = await partiesOfAccount(em, principal.id);
      if (parties.length > 0) {
        const seats = await em.find(MeetingParty, { party: { $in: parties.map((p) => p.id) } }, { fields: ['meeting'] });
        if (seats.length > 0) or.push({ id: { $in: [...new Set(seats.map((s) => s.meeting.id))] } });
      }
    }
    const meetings = or.length > 0 ? await this.meetings(em, { $or: or }, now) : [];
    return this.render(em, `联席会议 ${principal.name}`, meetings, now);
  }

  private meetings(em: EntityManager, where: FilterQuery<Meeting>, now: Date): Promise<Meeting[]> {
    return em.find(
      Meeting,
      { $and: [where, { startsAt: { $gte: new Date(now.getTime() - FEED_LOOKBACK_MS) } }] },
      { orderBy: { startsAt: 'asc', seq: 'asc' }, limit: FEED_MAX_EVENTS, populate: ['community', 'compound', 'convenerParty'] },
    );
  }

  private async render(em: EntityManager, name: string, meetings: Meeting[], now: Date): Promise<string> {
    const items = meetings.length > 0 ? await em.find(AgendaItem, { meeting: { $in: meetings.map((m) => m.id) }, status: 'accepted' }, { orderBy: { position: 'asc' } }) : [];
    const calendar: Calendar = {
      name,
      productId: PRODUCT_ID,
      events: meetings.map((m): CalendarEvent => {
        const agenda = items.filter((i) => i.meeting.id === m.id).map((i, n) => `${n + 1}. ${i.title}`);
        const description = [
          `社区: ${m.community.name}${m.compound ? ` / ${m.compound.name}` : ''}`,
          m.convenerParty ? `召集: ${m.convenerParty.name}` : undefined,
          agenda.length > 0 ? `议程:\n${agenda.join('\n')}` : undefined,
          m.status === 'cancelled' && m.cancelReason ? `取消原因: ${m.cancelReason}` : undefined,
        ].filter((line): line is string => line !== undefined);
        return {
          uid: `${m.id}@meetings.smart-community`,
          stamp: now,
          start: m.startsAt,
          end: m.endsAt,
          summary: `第${m.seq}次联席会议: ${m.title}`,
          location: m.place,
          description: description.join('\n'),
          status: m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
          sequence: m.icalSequence,
          categories: ['联席会议', 'joint meeting'],
          lastModified: m.updatedAt,
        };
      }),
    };
    return renderCalendar(calendar);
  }
}
