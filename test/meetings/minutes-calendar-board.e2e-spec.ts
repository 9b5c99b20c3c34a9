import ICAL from 'ical.js';
import { Role } from '@sc/core/identity/roles';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { DeliveryTarget } from '@sc/core/delivery/entities/delivery-target.entity';
import { MeetingReminders } from '@sc/core/meetings/meeting-reminders';
import { MeetingMinutes } from '@sc/core/meetings/entities/meeting-minutes.entity';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { createTestApp, TestApp } from '../support/test-app';
import { AgendaItemBody, attend, buildWorld, inDays, insertOrder, MeetingBody, MeetingWorld, person, post, scheduleMeeting } from './meeting-world';

const DAY = 24 * 3600_000;

interface MinutesBody {
  version: number;
  status: string;
  reason: string | null;
  text: string;
  content: Record<string, unknown>;
}

describe('joint-meeting minutes, notices, calendar feeds and the owners’ committee board', () => {
  let t: TestApp;
  let world: MeetingWorld;
  /** A meeting held and closed: four parties, one adopted decision with one action item. */
  let held: { meeting: MeetingBody; item: AgendaItemBody; actionOrderId: string; issueId: string };

  beforeAll(async () => {
    t = await createTestApp();
    world = await buildWorld(t);
    const em = t.em();
    // The owners' committee member and the property company each have a webhook.
    for (const [ownerKind, ownerId] of [
      ['account', world.people.oc.accountId],
      ['company', world.chain.company.id],
    ] as const) {
      em.create(DeliveryTarget, { ownerKind, ownerId, channel: 'webhook', name: `${ownerKind} hook`, url: 'http://127.0.0.1:9/hook' });
    }
    await em.flush();

    const issue = await insertOrder(t, world.chain, { title: '5号楼电梯困人频发', status: 'accepted', acceptedAt: new Date(Date.now() - 3 * DAY), resolveDueAt: new Date(Date.now() - DAY) });
    const meeting = await scheduleMeeting(t, world, { title: '第四季度联席会议', place: '锦里社区会议室, 二楼' });
    const item = meeting.agenda.find((i) => i.workOrders.some((o) => o.id === issue.id))!;
    const convener = world.people.convener.header;
    await t.http().patch(`/meetings/${meeting.id}/agenda/${item.id}`).set('Authorization', convener).send({ status: 'accepted' }).expect(200);
    await post(t, convener, `/meetings/${meeting.id}/start`).expect(200);
    await attend(t, world, meeting.id, ['convener', 'rc', 'oc', 'pc']);
    const decided = await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/decision`, {
      positions: Object.values(world.parties).map((p) => ({ partyId: p.id, position: 'agree' })),
      reviewDate: inDays(30),
      actionItems: [{ ownerPartyId: world.parties.pc.id, ownerAccountId: world.people.pc.accountId, dueAt: inDays(10), title: '电梯全面检修' }],
    }).expect(201);
    await post(t, convener, `/meetings/${meeting.id}/close`).expect(200);
    held = { meeting, item, actionOrderId: (decided.body as AgendaItemBody).decision!.actionItems[0]!.workOrder.id, issueId: issue.id };
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the notice, the published minutes and the reminders to the representatives and the property company', async () => {
    const deliveries = await t.em().find(Delivery, { subjectId: held.meeting.id });
    const events = deliveries.map((d) => d.event).sort();
    // Two targets (the committee member's account, the company) for the notice and for the minutes.
    expect(events).toEqual(['meeting_notice', 'meeting_notice', 'minutes', 'minutes']);

    const reminders = t.app.get(MeetingReminders);
    const upcoming = await scheduleMeeting(t, world, { startsAt: inDays(3), endsAt: inDays(3, 8) });
    const startsAt = new Date(inDays(3)).toISOString();
    expect(await reminders.remind({ meetingId: upcoming.id, lead: 60, startsAt })).toBe(true);
    expect(await reminders.remind({ meetingId: upcoming.id, lead: 60, startsAt })).toBe(true);
    expect(await t.em().count(Delivery, { subjectId: upcoming.id, event: 'meeting_reminder' })).toBe(2);
    // Moved or cancelled: the old reminder is a no-op.
    await t.http().patch(`/meetings/${upcoming.id}`).set('Authorization', world.people.convener.header).send({ startsAt: inDays(4), endsAt: inDays(4, 8) }).expect(200);
    expect(await reminders.remind({ meetingId: upcoming.id, lead: 1440, startsAt })).toBe(false);
    await post(t, world.people.convener.header, `/meetings/${upcoming.id}/cancel`, { reason: '台风预警' }).expect(200);
    expect(await reminders.remind({ meetingId: upcoming.id, lead: 60, startsAt: new Date(inDays(4)).toISOString() })).toBe(false);
    expect(await t.em().count(Delivery, { subjectId: upcoming.id, event: 'meeting_reminder' })).toBe(2);
  });

  it('re-arms the reminders still ahead of scheduled meetings when Redis lost its jobs, with the ids they had', async () => {
    // A community of its own: these meetings take no open issue off the board's history below.
    const own = await buildWorld(t);
    const convener = own.people.convener.header;
    const upcoming = await scheduleMeeting(t, own, { startsAt: inDays(3), endsAt: inDays(3, 8) });
    const cancelled = await scheduleMeeting(t, own, { startsAt: inDays(3), endsAt: inDays(3, 8) });
    await post(t, convener, `/meetings/${cancelled.id}/cancel`, { reason: '场地冲突' }).expect(200);
    const reminderJobs = async (meetingId: string) =>
      (await t.em().find(OutboxEntry, {}, { orderBy: { seq: 'asc' } }))
        .map((e) => e.intent)
        .filter((i) => i.name === 'meeting.remind' && i.op === 'add' && i.jobId.includes(meetingId))
        .map((i) => i.jobId);
    const armed = await reminderJobs(upcoming.id);
    expect(armed).toHaveLength(2);
    const cancelledBefore = (await reminderJobs(cancelled.id)).length;

    const startsAt = new Date(inDays(3)).getTime();
    // Two hours before the start: the day-ahead reminder is past, only the hour-ahead one is armed again.
    await t.app.get(MeetingReminders).rearm(new Date(startsAt - 2 * 3600_000));
    const again = await reminderJobs(upcoming.id);
    expect(again.slice(armed.length)).toEqual(armed.filter((id) => id.includes('.60.')));
    await t.app.get(MeetingReminders).rearm();
    expect((await reminderJobs(upcoming.id)).slice(again.length).sort()).toEqual([...armed].sort());
    expect(await reminderJobs(cancelled.id)).toHaveLength(cancelledBefore);
  });

  it('publishes minutes v1 at the close; a correction is a new version with its reason, and closed minutes are immutable', async () => {
    const url = `/meetings/${held.meeting.id}/minutes`;
    const convener = world.people.convener.header;
    const listed = await t.http().get(url).set('Authorization', world.people.oc.header).expect(200);
    const v1 = (listed.body as { latest: MinutesBody }).latest;
    expect(v1).toMatchObject({ version: 1, status: 'published', reason: null });
    expect(v1.text).toContain('第');
    expect(v1.text).toContain(world.parties.oc.name);
    expect(v1.text).toContain('通过');
    expect(v1.text).toContain('电梯全面检修');
    expect((v1.content as { agenda: { decision: { actionItems: { workOrderId: string }[] } }[] }).agenda[0]?.decision.actionItems[0]?.workOrderId).toBe(held.actionOrderId);

    const before = await t.em().count(MeetingMinutes, {});
    for (const method of ['put', 'patch'] as const) {
      const refused = await t.http()[method](`${url}/1`).set('Authorization', convener).send({ text: '改写' }).expect(409);
      expect((refused.body as { message: string }).message).toMatch(/^closed minutes are immutable: version 1 was published/);
    }
    expect(await t.em().count(MeetingMinutes, {})).toBe(before);
    const unchanged = await t.em().findOneOrFail(MeetingMinutes, { meeting: held.meeting.id, version: 1 });
    expect(unchanged.text).toBe(v1.text);

    const corrected = await post(t, convener, `${url}/corrections`, { reason: '物业公司意见应为弃权', content: { ...v1.content, note: 'corrected' } }).expect(201);
    expect(corrected.body).toMatchObject({ version: 2, status: 'published', reason: '物业公司意见应为弃权' });
    expect((corrected.body as MinutesBody).text).toContain('更正 (第2版): 物业公司意见应为弃权');

    // A draft correction can be edited until it is published, then it is closed too.
    const draft = await post(t, convener, `${url}/corrections`, { reason: '补充出席人员', content: { note: 'draft' }, text: '草稿', draft: true }).expect(201);
    expect(draft.body).toMatchObject({ version: 3, status: 'draft' });
    await t.http().patch(`${url}/3`).set('Authorization', convener).send({ text: '补充: 街道列席' }).expect(200);
    await post(t, convener, `${url}/3/publish`).expect(200);
    await t.http().patch(`${url}/3`).set('Authorization', convener).send({ text: '再改' }).expect(409);
    const all = await t.http().get(url).set('Authorization', convener).expect(200);
    expect((all.body as { versions: MinutesBody[] }).versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'published'],
      [2, 'published'],
      [3, 'published'],
    ]);
    expect((all.body as { latest: MinutesBody }).latest.text).toContain('补充: 街道列席');
    // Participants cannot correct.
    await post(t, world.people.oc.header, `${url}/corrections`, { reason: 'x', content: {} }).expect(403);
  });

  it('serves an iCalendar feed that a real parser reads, listing the meeting', async () => {
    const res = await t.http().get(`/meetings/calendar/community/${world.chain.community.id}.ics`).set('Authorization', world.people.oc.header).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const body = res.text;
    expect(body.endsWith('\r\n')).toBe(true);
    expect(body.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);

    const calendar = new ICAL.Component(ICAL.parse(body));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const event = events.find((e) => e.uid === `${held.meeting.id}@meetings.smart-community`);
    expect(event).toBeDefined();
    expect(event!.summary).toContain('第四季度联席会议');
    expect(event!.location).toBe('锦里社区会议室, 二楼');
    expect(event!.startDate.toJSDate().toISOString()).toBe(new Date(inDays(7)).toISOString());
    expect(event!.endDate.toJSDate().toISOString()).toBe(new Date(inDays(7, 8)).toISOString());
    expect(event!.startDate.zone?.tzid).toBe('UTC');
    expect(event!.sequence).toBe(0);
    const vevent = calendar.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === event!.uid)!;
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('dtstamp')).toBeTruthy();
    expect(String(vevent.getFirstPropertyValue('description'))).toContain('议程');
    // The cancelled meeting is in the feed as cancelled, with a raised sequence.
    expect(calendar.getAllSubcomponents('vevent').some((v) => v.getFirstPropertyValue('status') === 'CANCELLED' && Number(v.getFirstPropertyValue('sequence')) >= 2)).toBe(true);

    // Personal feeds: the committee member's lists the meeting, a stranger's does not.
    const mine = await t.http().get('/meetings/calendar/me.ics').set('Authorization', world.people.oc.header).expect(200);
    const myUids = new ICAL.Component(ICAL.parse(mine.text)).getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid'));
    expect(myUids).toContain(`${held.meeting.id}@meetings.smart-community`);
    const other = await t.factories.newOrgChain(world.chain.city);
    const stranger = await person(t, Role.OwnersCommittee, { compound: other.compound });
    const theirs = await t.http().get('/meetings/calendar/me.ics').set('Authorization', stranger.header).expect(200);
    expect(new ICAL.Component(ICAL.parse(theirs.text)).getAllSubcomponents('vevent')).toEqual([]);
    await t.http().get(`/meetings/calendar/community/${world.chain.community.id}.ics`).set('Authorization', stranger.header).expect(403);
    await t.http().get(`/meetings/calendar/community/${world.chain.community.id}.ics`).expect(401);
  });

  it("shows an owners' committee member the board of their compound, and 403 for another compound", async () => {
    const em = t.em();
    // A closed issue (4 days from report to verification) and the action item at 50 %.
    await insertOrder(t, world.chain, { title: '单元门禁损坏', status: 'verified', reportedAt: new Date(Date.now() - 6 * DAY), resolvedAt: new Date(Date.now() - 3 * DAY), verifiedAt: new Date(Date.now() - 2 * DAY) });
    await post(t, world.people.pc.header, `/meetings/${held.meeting.id}/action-items/${held.actionOrderId}/progress`, { percent: 50 }).expect(200);

    const res = await t.http().get(`/boards/compounds/${world.chain.compound.id}`).set('Authorization', world.people.oc.header).expect(200);
    const board = res.body as {
      counts: Record<string, number>;
      overdue: { id: string }[];
      resolved: { title: string }[];
      medianDaysToClose: number;
      decisions: { outcome: string; progress: number; actionItems: { workOrder: { id: string; progress: number } }[] }[];
    };
    expect(board.overdue.map((o) => o.id)).toContain(held.issueId);
    expect(board.resolved.map((o) => o.title)).toContain('单元门禁损坏');
    expect(board.medianDaysToClose).toBe(4);
    expect(board.counts).toMatchObject({ closed: 1, resolved: 1 });
    expect(board.counts.open).toBe(await em.count(WorkOrder, { compound: world.chain.compound.id, status: { $in: ['reported', 'dispatched', 'accepted', 'in_progress', 'on_hold'] } }));
    expect(board.decisions).toHaveLength(1);
    expect(board.decisions[0]).toMatchObject({ outcome: 'adopted', progress: 50 });
    expect(board.decisions[0]!.actionItems[0]!.workOrder).toMatchObject({ id: held.actionOrderId, progress: 50 });

    const issue = await t.http().get(`/boards/compounds/${world.chain.compound.id}/issues/${held.actionOrderId}`).set('Authorization', world.people.oc.header).expect(200);
    const history = issue.body as { history: { action: string }[]; meetings: { outcome: string | null; itemSource: string; meeting: { id: string } }[] };
    expect(history.history.map((h) => h.action)).toEqual(expect.arrayContaining(['created', 'progress']));
    // Opened by the decision of the meeting held, then carried over to the next one.
    expect(history.meetings[0]).toMatchObject({ outcome: 'adopted', meeting: { id: held.meeting.id } });
    expect(history.meetings.slice(1).map((m) => m.itemSource)).toEqual(['carry_over']);

    const other = await t.factories.newOrgChain(world.chain.city);
    const refused = await t.http().get(`/boards/compounds/${other.compound.id}`).set('Authorization', world.people.oc.header).expect(403);
    expect((refused.body as { message: string }).message).toContain('outside your scope');
    await t.http().get(`/boards/compounds/${other.compound.id}/issues/${held.actionOrderId}`).set('Authorization', world.people.oc.header).expect(403);
    // The other compound's committee member sees theirs and not this one.
    const theirMember = await person(t, Role.OwnersCommittee, { compound: other.compound });
    await t.http().get(`/boards/compounds/${other.compound.id}`).set('Authorization', theirMember.header).expect(200);
    await t.http().get(`/boards/compounds/${world.chain.compound.id}`).set('Authorization', theirMember.header).expect(403);
  });
});
