import { EntityManager } from '@mikro-orm/knex';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { AgendaItem } from '@sc/core/meetings/entities/agenda-item.entity';
import { Decision, Position } from '@sc/core/meetings/entities/decision.entity';
import { MeetingAttendance } from '@sc/core/meetings/entities/meeting-attendance.entity';
import { MeetingMinutes } from '@sc/core/meetings/entities/meeting-minutes.entity';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { createTestApp, TestApp } from '../support/test-app';
import { acceptedItem, AgendaItemBody, attend, buildWorld, inDays, MeetingBody, MeetingWorld, post, scheduleMeeting } from './meeting-world';

/** Rows a refused request must not leave behind. */
async function rowCounts(em: EntityManager): Promise<Record<string, number>> {
  return {
    attendances: await em.count(MeetingAttendance, {}),
    positions: await em.count(Position, {}),
    decisions: await em.count(Decision, {}),
    workOrders: await em.count(WorkOrder, {}),
    minutes: await em.count(MeetingMinutes, {}),
    agendaItems: await em.count(AgendaItem, {}),
  };
}

describe('joint-meeting decisions and action items', () => {
  let t: TestApp;
  let world: MeetingWorld;

  beforeAll(async () => {
    t = await createTestApp();
    world = await buildWorld(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function sessionWithItem(title: string): Promise<{ meeting: MeetingBody; item: AgendaItemBody }> {
    const meeting = await scheduleMeeting(t, world);
    const item = await acceptedItem(t, world, meeting.id, title);
    await post(t, world.people.convener.header, `/meetings/${meeting.id}/start`).expect(200);
    return { meeting, item };
  }

  function positionsOfAll(position = 'agree') {
    return Object.values(world.parties).map((p) => ({ partyId: p.id, position }));
  }

  it('cannot adopt with three parties present; with all four it adopts and the action items become work orders with SLAs for their owners', async () => {
    const { meeting, item } = await sessionWithItem('3号楼电梯更换');
    const convener = world.people.convener.header;
    await attend(t, world, meeting.id, ['convener', 'rc', 'pc']);
    const action = { ownerPartyId: world.parties.pc.id, ownerAccountId: world.people.pc.accountId, dueAt: inDays(14), title: '电梯更换方案与报价' };
    const before = await rowCounts(t.em());
    const three = await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/decision`, {
      positions: [world.parties.po, world.parties.rc, world.parties.pc].map((p) => ({ partyId: p.id, position: 'agree' })),
      actionItems: [action],
    }).expect(409);
    expect((three.body as { message: string }).message).toBe('quorum not met: owners_committee absent');
    expect(await rowCounts(t.em())).toEqual(before);

    await attend(t, world, meeting.id, ['oc']);
    // Each party states its own position; the convener speaks for the Party organisation.
    await post(t, world.people.rc.header, `/meetings/${meeting.id}/agenda/${item.id}/positions`, { partyId: world.parties.rc.id, position: 'agree' }).expect(201);
    await post(t, world.people.oc.header, `/meetings/${meeting.id}/agenda/${item.id}/positions`, { partyId: world.parties.oc.id, position: 'agree', statement: '费用走维修基金' }).expect(201);
    await post(t, world.people.pc.header, `/meetings/${meeting.id}/agenda/${item.id}/positions`, { partyId: world.parties.pc.id, position: 'abstain' }).expect(201);
    await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/positions`, { partyId: world.parties.po.id, position: 'agree' }).expect(201);
    const reviewDate = inDays(30);
    const decided = await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/decision`, { reviewDate, actionItems: [action] }).expect(201);
    const decision = (decided.body as AgendaItemBody).decision!;
    expect(decision.outcome).toBe('adopted');
    expect(decision.actionItems).toHaveLength(1);

    const order = await t.em().findOneOrFail(WorkOrder, { id: decision.actionItems[0]!.workOrder.id }, { populate: ['assignee', 'assignedCompany'] });
    expect(order).toMatchObject({ source: 'meeting', category: 'meeting', meetingDecisionId: decision.id, ownerPartyId: world.parties.pc.id, title: '电梯更换方案与报价' });
    expect(order.assignee?.id).toBe(world.people.pc.accountId);
    expect(order.assignedCompany?.id).toBe(world.chain.company.id);
    expect(order.resolveDueAt?.toISOString()).toBe(action.dueAt);
    expect(order.acceptDueAt?.getTime()).toBeGreaterThan(Date.now());
    // The SLA is armed: an escalation timer for the accept deadline sits in the outbox.
    const timers = (await t.em().find(OutboxEntry, {})).map((e) => e.intent as { name: string; jobId: string });
    expect(timers.some((i) => i.name === 'work-order.escalate' && i.jobId.includes(order.id))).toBe(true);
    expect(await t.em().count(AuditEntry, { subjectType: 'meeting', subjectId: meeting.id, action: 'decided' })).toBe(1);

    // The owner reports progress; the board of the meeting shows it.
    await post(t, world.people.pc.header, `/meetings/${meeting.id}/action-items/${order.id}/progress`, { percent: 40 }).expect(200);
    await post(t, world.people.oc.header, `/meetings/${meeting.id}/action-items/${order.id}/progress`, { percent: 90 }).expect(403);
    const items = await t.http().get(`/meetings/${meeting.id}/action-items`).set('Authorization', world.people.oc.header).expect(200);
    expect((items.body as { items: { progress: number; ownerName: string }[] }).items).toMatchObject([{ progress: 40 }]);
  });

  it('rejects under the default rule when a present party objects, and needs every present party to have a position', async () => {
    const { meeting, item } = await sessionWithItem('增设地面停车位');
    const convener = world.people.convener.header;
    await attend(t, world, meeting.id, ['convener', 'rc', 'oc', 'pc']);
    const partial = await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/decision`, { positions: [{ partyId: world.parties.po.id, position: 'agree' }] }).expect(409);
    expect((partial.body as { message: string }).message).toContain('every present party states a position first');
    const positions = positionsOfAll().map((p) => (p.partyId === world.parties.oc.id ? { ...p, position: 'object' } : p));
    const forced = await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/decision`, { outcome: 'adopted', positions, actionItems: [] }).expect(409);
    expect((forced.body as { message: string }).message).toContain('objected');
    const rejected = await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/decision`, { positions }).expect(201);
    expect((rejected.body as AgendaItemBody).decision?.outcome).toBe('rejected');
  });

  describe('bad input is refused with the reason, and nothing is half-saved', () => {
    it('refuses a position for an absent party', async () => {
      const { meeting, item } = await sessionWithItem('小区绿化改造');
      await attend(t, world, meeting.id, ['convener', 'rc', 'pc']);
      const before = await rowCounts(t.em());
      const res = await post(t, world.people.convener.header, `/meetings/${meeting.id}/agenda/${item.id}/positions`, { partyId: world.parties.oc.id, position: 'agree' }).expect(409);
      expect((res.body as { message: string }).message).toMatch(/owners_committee\) is absent: positions are recorded only for parties present/);
      expect(await rowCounts(t.em())).toEqual(before);
    });

    it('refuses a decision without quorum, even with every position given', async () => {
      const { meeting, item } = await sessionWithItem('垃圾分类亭选址');
      await attend(t, world, meeting.id, ['convener', 'oc', 'pc']);
      const before = await rowCounts(t.em());
      const res = await post(t, world.people.convener.header, `/meetings/${meeting.id}/agenda/${item.id}/decision`, { positions: positionsOfAll().filter((p) => p.partyId !== world.parties.rc.id) }).expect(409);
      expect((res.body as { message: string }).message).toBe('quorum not met: residents_committee absent');
      expect(await rowCounts(t.em())).toEqual(before);
    });

    it('refuses action items without an owner, and an adopted decision without action items', async () => {
      const { meeting, item } = await sessionWithItem('楼顶防水维修');
      await attend(t, world, meeting.id, ['convener', 'rc', 'oc', 'pc']);
      const before = await rowCounts(t.em());
      const url = `/meetings/${meeting.id}/agenda/${item.id}/decision`;
      const ownerless = await post(t, world.people.convener.header, url, {
        positions: positionsOfAll(),
        actionItems: [
          { ownerPartyId: world.parties.pc.id, ownerAccountId: world.people.pc.accountId, dueAt: inDays(10) },
          { title: '没有负责人', dueAt: inDays(10) },
        ],
      }).expect(400);
      expect((ownerless.body as { message: string; details: { field: string }[] }).message).toBe('action item 2 has no owner: an action item needs an owner party');
      expect((ownerless.body as { details: { field: string }[] }).details[0]?.field).toBe('actionItems.1.ownerPartyId');
      const wrongPerson = await post(t, world.people.convener.header, url, {
        positions: positionsOfAll(),
        actionItems: [{ ownerPartyId: world.parties.pc.id, ownerAccountId: world.people.oc.accountId, dueAt: inDays(10) }],
      }).expect(400);
      expect((wrongPerson.body as { message: string }).message).toMatch(/does not belong to property_company party .*the owner person must belong to the owner party/);
      const none = await post(t, world.people.convener.header, url, { positions: positionsOfAll() }).expect(400);
      expect((none.body as { message: string }).message).toContain('an adopted decision needs at least one action item');
      // The first action item was fine and the positions came with the request: none of it stayed.
      expect(await rowCounts(t.em())).toEqual(before);
    });

    it('refuses a person acting for a party they do not belong to', async () => {
      const { meeting, item } = await sessionWithItem('电动车充电管理');
      await attend(t, world, meeting.id, ['convener', 'rc', 'oc', 'pc']);
      const before = await rowCounts(t.em());
      const attendance = await post(t, world.people.oc.header, `/meetings/${meeting.id}/attendance`, { partyId: world.parties.pc.id }).expect(403);
      expect((attendance.body as { message: string }).message).toMatch(/does not belong to property_company party .*: a person attends only for a party they belong to/);
      const onBehalf = await post(t, world.people.oc.header, `/meetings/${meeting.id}/attendance`, { partyId: world.parties.oc.id, accountId: world.people.pc.accountId }).expect(403);
      expect((onBehalf.body as { message: string }).message).toBe('only the convener records the attendance of someone else');
      const position = await post(t, world.people.oc.header, `/meetings/${meeting.id}/agenda/${item.id}/positions`, { partyId: world.parties.pc.id, position: 'object' }).expect(403);
      expect((position.body as { message: string }).message).toContain('a position is recorded by a member of the party, or by the convener on its behalf');
      // Even the convener cannot seat someone for a party that is not theirs.
      const seated = await post(t, world.people.convener.header, `/meetings/${meeting.id}/attendance`, { partyId: world.parties.oc.id, accountId: world.people.pc.accountId }).expect(403);
      expect((seated.body as { message: string }).message).toContain('does not belong to owners_committee party');
      expect(await rowCounts(t.em())).toEqual(before);
    });

    it('refuses decisions outside the session', async () => {
      const meeting = await scheduleMeeting(t, world);
      const item = await acceptedItem(t, world, meeting.id, '还没开会');
      const res = await post(t, world.people.convener.header, `/meetings/${meeting.id}/agenda/${item.id}/decision`, { outcome: 'deferred' }).expect(409);
      expect((res.body as { message: string }).message).toContain('meeting #');
      expect((res.body as { message: string }).message).toContain('is scheduled, it must be in_session');
    });
  });

  it('carries an action item left open at the close over to the next meeting, and again while it stays open', async () => {
    // A community of its own: no other scheduled meeting may be "the next one".
    world = await buildWorld(t);
    const { meeting, item } = await sessionWithItem('二次供水改造');
    const convener = world.people.convener.header;
    await attend(t, world, meeting.id, ['convener', 'rc', 'oc', 'pc']);
    const decided = await post(t, convener, `/meetings/${meeting.id}/agenda/${item.id}/decision`, {
      positions: positionsOfAll(),
      actionItems: [{ ownerPartyId: world.parties.oc.id, ownerAccountId: world.people.oc.accountId, dueAt: inDays(20), title: '业委会征求业主意见' }],
    }).expect(201);
    const decision = (decided.body as AgendaItemBody).decision!;
    const actionOrderId = decision.actionItems[0]!.workOrder.id;
    const undecided = await acceptedItem(t, world, meeting.id, '本次未议');

    // The next meeting exists before this one closes: the close carries over into it.
    const next = await scheduleMeeting(t, world, { startsAt: inDays(40), endsAt: inDays(40, 8) });
    expect(next.agenda.filter((i) => i.source === 'carry_over')).toEqual([]);
    await post(t, convener, `/meetings/${meeting.id}/close`).expect(200);
    const nextDetail = (await t.http().get(`/meetings/${next.id}`).set('Authorization', convener).expect(200)).body as MeetingBody;
    const carried = nextDetail.agenda.filter((i) => i.source === 'carry_over');
    expect(carried.find((i) => i.carriedFromDecisionId === decision.id)?.workOrders.map((o) => o.id)).toEqual([actionOrderId]);
    expect(carried.some((i) => i.title === undecided.title)).toBe(true);

    // Still open when that meeting closes undecided: it carries over again, to a meeting created afterwards.
    await post(t, convener, `/meetings/${next.id}/start`).expect(200);
    await post(t, convener, `/meetings/${next.id}/close`).expect(200);
    const third = await scheduleMeeting(t, world, { startsAt: inDays(70), endsAt: inDays(70, 8) });
    const again = third.agenda.filter((i) => i.source === 'carry_over' && i.workOrders.some((o) => o.id === actionOrderId));
    expect(again).toHaveLength(1);
    expect(third.agenda.filter((i) => i.title === undecided.title)).toHaveLength(1);
  });
});
