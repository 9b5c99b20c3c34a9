import { Injectable } from '@nestjs/common';
import { JOBS } from '@sc/messaging';
import { MeetingReminders } from '@sc/core/meetings/meeting-reminders';
import { PermanentJobFailure, requireStrings } from '../jobs/job-context';
import { OnJob } from '../jobs/job-handler.decorator';

/** meetings / meeting.remind → MeetingReminders. */
@Injectable()
export class MeetingsProcessor {
  constructor(private readonly reminders: MeetingReminders) {}

  @OnJob(JOBS.meetingRemind)
  async remind(data: unknown): Promise<void> {
    const job = requireStrings(data, ['meetingId', 'startsAt']);
    const lead = (data as { lead?: unknown }).lead;
    if (typeof lead !== 'number') throw new PermanentJobFailure('job payload has no lead');
    await this.reminders.remind({ meetingId: job.meetingId, startsAt: job.startsAt, lead });
  }
}
