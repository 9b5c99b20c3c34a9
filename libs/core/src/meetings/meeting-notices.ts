import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { addJob, JOBS, JobIntent, removeJob } from '@sc/messaging';
import { Actor } from '../audit/actor';
import { AuditLog } from '../audit/audit-log';
import { DeliveryEvent } from '../delivery/entities/delivery.entity';
import { Notifier, Recipient } from '../delivery/notifier';
import { PartyKind } from '../org/org-level';
import { Outbox } from '../outbox/outbox';
import { MeetingParty } from './entities/meeting-party.entity';
import { Meeting } from './entities/meeting.entity';
import { representativesOf } from './party-membership';
import { MEETING_STATUS_LABELS, MeetingStatus, REMINDER_LEADS_MINUTES } from './meeting-states';

type MeetingEvent = Extract<DeliveryEvent, 'meeting_notice' | 'meeting_reminder' | 'minutes'>;

/**
 * Notices, reminders and published minutes go to the representatives of every invited party
 * (their accounts) and to the property companies of property-company parties, through the
 * delivery channels; reminders are outbox jobs armed for each lead time before the start.
 */
@Injectable()
export class MeetingNotices {
  constructor(
    private readonly notifier: Notifier,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  async send(em: EntityManager, meeting: Meeting, event: MeetingEvent, discriminator: string, extra: Record<string, unknown>, actor: Actor): Promise<void> {
    const recipients = await this.recipients(em, meeting);
    const result = await this.notifier.notify(em, {
      subjectType: 'meeting',
      subjectId: meeting.id,
      event,
      discriminator,
      payload: { event, meeting: meetingPayload(meeting), ...extra },
      recipients,
    });
    this.audit.record(em, {
      subjectType: 'meeting',
      subjectId: meeting.id,
      action: 'notified',
      actor,
      text: event,
      details: { event, discriminator, recipients: recipients.length, deliveries: result.deliveryIds.length, unreachable: result.unreachable },
    });
  }

  /** Representatives' accounts of the invited parties, and the companies behind property-company parties. */
  async recipients(em: EntityManager, meeting: Meeting): Promise<Recipient[]> {
    const seats = await em.find(MeetingParty, { meeting }, { populate: ['party'] });
    const parties = seats.map((s) => s.party);
    const recipients: Recipient[] = parties
      .filter((p) => p.kind === PartyKind.PropertyCompany && p.propertyCompany)
      .map((p) => ({ kind: 'company' as const, id: p.propertyCompany!.id }));
    for (const list of (await representativesOf(em, parties)).values()) {
      recipients.push(...list.map((r) => ({ kind: 'account' as const, id: r.accountId })));
    }
    return recipients;
  }

  /** Reminder jobs for every lead time still ahead of the start. */
  async armReminders(em: EntityManager, meeting: Meeting, now = new Date()): Promise<void> {
    await this.outbox.enqueue(em, reminderTimers(meeting, now));
  }

  /** Cancels the reminders armed for a start time (best effort: a stale reminder is a no-op anyway). */
  async disarmReminders(em: EntityManager, meeting: Meeting, startsAt: Date): Promise<void> {
    await this.outbox.enqueue(
      em,
      REMINDER_LEADS_MINUTES.map((lead) => removeJob(JOBS.meetingRemind, { meetingId: meeting.id, lead, startsAt: startsAt.toISOString() })),
    );
  }
}

/** A meeting's reminder jobs for every lead time still ahead of its start (ids from the meeting, lead and start). */
export function reminderTimers(meeting: Pick<Meeting, 'id' | 'startsAt'>, now: Date): JobIntent[] {
  return REMINDER_LEADS_MINUTES.flatMap((lead) => {
    const runAt = new Date(meeting.startsAt.getTime() - lead * 60_000);
    return runAt.getTime() > now.getTime() ? [addJob(JOBS.meetingRemind, { meetingId: meeting.id, lead, startsAt: meeting.startsAt.toISOString() }, runAt)] : [];
  });
}

/** What every meeting notification carries: no personal data. */
export function meetingPayload(meeting: Meeting): Record<string, unknown> {
  return {
    id: meeting.id,
    number: meeting.seq,
    title: meeting.title,
    place: meeting.place,
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    status: meeting.status,
    statusLabel: MEETING_STATUS_LABELS[meeting.status as MeetingStatus],
    community: { id: meeting.community.id, code: meeting.community.code, name: meeting.community.name },
    compound: meeting.compound ? { id: meeting.compound.id, name: meeting.compound.name } : null,
    convenerParty: meeting.convenerParty ? { id: meeting.convenerParty.id, name: meeting.convenerParty.name } : null,
  };
}
