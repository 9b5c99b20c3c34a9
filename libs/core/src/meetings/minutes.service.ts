import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Actor, actorOf } from '../audit/actor';
import { AuditLog } from '../audit/audit-log';
import { Principal } from '../identity/principal';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { assertText, flushOrConflict } from '../org/org-errors';
import { MeetingMinutes } from './entities/meeting-minutes.entity';
import { Meeting } from './entities/meeting.entity';
import { assertConvener, findVisibleMeeting } from './meeting-access';
import { MeetingNotices } from './meeting-notices';
import { loadMeetingRecord } from './meeting-record';
import { buildMinutesContent, MinutesContent, renderMinutesText } from './minutes-document';

export interface MinutesVersions {
  meeting: Meeting;
  /** The latest published version; none before the close. */
  latest: MeetingMinutes | null;
  /** Every version, oldest first (a draft correction last). */
  versions: MeetingMinutes[];
}

export interface CorrectionInput {
  reason: string;
  content: Record<string, unknown>;
  /** The text as it should read; rendered from the content when left out. */
  text?: string;
  /** Keep it as a draft to edit before publishing; published at once by default. */
  draft?: boolean;
}

export interface DraftEdit {
  reason?: string;
  content?: Record<string, unknown>;
  text?: string;
}

const MAX_CONTENT_CHARS = 256 * 1024;

/**
 * Minutes: version 1 is generated from the record at the close and published to the parties.
 * A published version never changes; a correction is a new version with its reason, published
 * at once or kept as a draft (the only editable kind) until published.
 */
@Injectable()
export class MinutesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly notices: MeetingNotices,
  ) {}

  /** Inside the closing transaction. */
  async generate(em: EntityManager, meeting: Meeting, actor: Actor): Promise<MeetingMinutes> {
    const content = buildMinutesContent(await loadMeetingRecord(em, meeting));
    const minutes = em.create(MeetingMinutes, {
      meeting,
      version: 1,
      status: 'published',
      content: content as unknown as Record<string, unknown>,
      text: renderMinutesText(content),
      publishedAt: new Date(),
      authorName: actor.name,
    });
    await this.published(em, meeting, minutes, actor);
    return minutes;
  }

  async list(principal: Principal, meetingId: string): Promise<MinutesVersions> {
    const em = this.em.fork();
    const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
    const versions = await em.find(MeetingMinutes, { meeting }, { orderBy: { version: 'asc' } });
    const published = versions.filter((v) => v.status === 'published');
    return { meeting, latest: published[published.length - 1] ?? null, versions };
  }

  async get(principal: Principal, meetingId: string, version: number): Promise<MeetingMinutes> {
    const em = this.em.fork();
    const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
    const minutes = await em.findOne(MeetingMinutes, { meeting, version });
    if (!minutes) throw DomainError.notFound('minutes version', String(version));
    return minutes;
  }

  async correct(principal: Principal, meetingId: string, input: CorrectionInput): Promise<MeetingMinutes> {
    const actor = actorOf(principal);
    const reason = assertText(input.reason, 'reason', 1000);
    const content = assertContent(input.content);
    const result = await this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
      assertConvener(principal, meeting, 'correct the minutes');
      if (meeting.status !== 'closed') throw new DomainError('state', `meeting #${meeting.seq} is ${meeting.status}: minutes exist once it is closed`);
      const versions = await em.find(MeetingMinutes, { meeting }, { orderBy: { version: 'desc' } });
      const draft = versions.find((v) => v.status === 'draft');
      if (draft) throw new DomainError('state', `version ${draft.version} is a draft correction already: edit or publish it first`);
      const version = (versions[0]?.version ?? 0) + 1;
      const minutes = em.create(MeetingMinutes, {
        meeting,
        version,
        status: input.draft ? 'draft' : 'published',
        content,
        text: textOf(input.text, content, version, reason),
        reason,
        publishedAt: input.draft ? undefined : new Date(),
        authorName: actor.name,
      });
      this.audit.record(em, {
        subjectType: 'meeting',
        subjectId: meeting.id,
        action: 'minutes_corrected',
        actor,
        text: reason,
        details: { version, corrects: version - 1, draft: Boolean(input.draft) },
      });
      if (!input.draft) await this.published(em, meeting, minutes, actor);
      await flushOrConflict(em, `another correction of meeting #${meeting.seq} was saved at the same time: reload and try again`, 'version');
      return minutes;
    });
    this.outbox.committed();
    return result;
  }

  /** Only a draft correction can change: a published version is immutable. */
  async edit(principal: Principal, meetingId: string, version: number, input: DraftEdit): Promise<MeetingMinutes> {
    const actor = actorOf(principal);
    return this.em.fork().transactional(async (em) => {
      const minutes = await this.findVersion(em, principal, meetingId, version, 'edit the minutes');
      assertDraft(minutes);
      if (input.reason !== undefined) minutes.reason = assertText(input.reason, 'reason', 1000);
      if (input.content !== undefined) minutes.content = assertContent(input.content);
      if (input.text !== undefined || input.content !== undefined) minutes.text = textOf(input.text, minutes.content, version, minutes.reason ?? '');
      this.audit.record(em, { subjectType: 'meeting', subjectId: minutes.meeting.id, action: 'minutes_draft_edited', actor, details: { version } });
      await em.flush();
      return minutes;
    });
  }

  async publish(principal: Principal, meetingId: string, version: number): Promise<MeetingMinutes> {
    const actor = actorOf(principal);
    const result = await this.em.fork().transactional(async (em) => {
      const minutes = await this.findVersion(em, principal, meetingId, version, 'publish the minutes');
      assertDraft(minutes);
      minutes.status = 'published';
      minutes.publishedAt = new Date();
      await this.published(em, minutes.meeting, minutes, actor);
      await em.flush();
      return minutes;
    });
    this.outbox.committed();
    return result;
  }

  private async findVersion(em: EntityManager, principal: Principal, meetingId: string, version: number, action: string): Promise<MeetingMinutes> {
    const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
    assertConvener(principal, meeting, action);
    const minutes = await em.findOne(MeetingMinutes, { meeting, version });
    if (!minutes) throw DomainError.notFound(`minutes version ${version} of meeting`, meeting.id);
    return minutes;
  }

  private async published(em: EntityManager, meeting: Meeting, minutes: MeetingMinutes, actor: Actor): Promise<void> {
    this.audit.record(em, {
      subjectType: 'meeting',
      subjectId: meeting.id,
      action: 'minutes_published',
      actor,
      text: minutes.reason,
      details: { version: minutes.version },
    });
    await em.flush();
    await this.notices.send(
      em,
      meeting,
      'minutes',
      `v${minutes.version}`,
      { minutes: { version: minutes.version, reason: minutes.reason ?? null, publishedAt: minutes.publishedAt?.toISOString() ?? null, text: minutes.text } },
      actor,
    );
  }
}

function assertDraft(minutes: MeetingMinutes): void {
  if (minutes.status !== 'draft') {
    throw new DomainError(
      'state',
      `closed minutes are immutable: version ${minutes.version} was published${minutes.publishedAt ? ` at ${minutes.publishedAt.toISOString()}` : ''}; post a correction with its reason instead`,
    );
  }
}

function assertContent(content: unknown): Record<string, unknown> {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) throw DomainError.validation('content must be a JSON object', 'content');
  if (JSON.stringify(content).length > MAX_CONTENT_CHARS) throw DomainError.validation(`content must be at most ${MAX_CONTENT_CHARS} characters of JSON`, 'content');
  return content as Record<string, unknown>;
}

function textOf(text: string | undefined, content: Record<string, unknown>, version: number, reason: string): string {
  const body = text !== undefined && text.trim() !== '' ? text : renderedOrJson(content);
  return `${body}\n\n更正 (第${version}版): ${reason}`;
}

/** A correction's content is the client's: render it like generated minutes when it has their shape. */
function renderedOrJson(content: Record<string, unknown>): string {
  try {
    const text = renderMinutesText(content as Partial<MinutesContent>);
    if (text.trim() !== '') return text;
  } catch {
    // Not the generated shape: fall through to the JSON itself.
  }
  return JSON.stringify(content, null, 2);
}
