import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import type { MeetingRemindJob } from '@sc/messaging';
import { SYSTEM_ACTOR } from '../audit/actor';
import { Outbox } from '../outbox/outbox';
import { forEachIdPage } from '../shared/paging';
import { Meeting } from './entities/meeting.entity';
import { MeetingNotices, reminderTimers } from './meeting-notices';

/** Meetings per page when reminders are re-armed. */
const REARM_PAGE = 500;

/** The meetings' reminder use case (the worker's meeting.remind job). */
@Injectable()
export class MeetingReminders {
  constructor(
    private readonly em: EntityManager,
    private readonly notices: MeetingNotices,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Idempotent: a reminder for a meeting that moved, started or was cancelled is a no-op, and
   * a reminder sent twice is delivered once (the delivery's dedup key holds lead and start).
   * Returns whether reminders were sent.
   */
  async remind(job: MeetingRemindJob): Promise<boolean> {
    const sent = await this.em.fork().transactional(async (em) => {
      const meeting = await em.findOne(Meeting, { id: job.meetingId }, { populate: ['community', 'compound', 'convenerParty'] });
      if (!meeting || meeting.status !== 'scheduled' || meeting.startsAt.toISOString() !== new Date(job.startsAt).toISOString()) return false;
      await this.notices.send(
        em,
        meeting,
        'meeting_reminder',
        `${job.lead}.${meeting.startsAt.getTime()}`,
        { reminder: { leadMinutes: job.lead, startsAt: meeting.startsAt.toISOString() } },
        SYSTEM_ACTOR,
      );
      await em.flush();
      return true;
    });
    if (sent) this.outbox.committed();
    return sent;
  }

  /**
   * After Redis lost its jobs: the reminders still ahead of every scheduled meeting, armed again
   * (a page of meetings at a time, each page one transaction). Reminder ids are deterministic, so
   * one Redis still holds stays one job. Answers the number of reminders.
   */
  async rearm(now = new Date()): Promise<number> {
    const em = this.em.fork();
    let armed = 0;
    await forEachIdPage(
      (after) => em.find(Meeting, { status: 'scheduled', startsAt: { $gt: now }, ...after }, { fields: ['id', 'startsAt'], limit: REARM_PAGE, orderBy: { id: 'asc' } }),
      async (meetings) => {
        const intents = meetings.flatMap((meeting) => reminderTimers(meeting, now));
        if (intents.length > 0) await em.transactional((tx) => this.outbox.enqueue(tx, intents));
        armed += intents.length;
        em.clear();
      },
    );
    if (armed > 0) this.outbox.committed();
    return armed;
  }
}
