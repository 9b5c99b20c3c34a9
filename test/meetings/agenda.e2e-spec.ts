import { Role } from '@sc/core/identity/roles';
import { AgendaItemOrder } from '@sc/core/meetings/entities/agenda-item.entity';
import { createTestApp, TestApp } from '../support/test-app';
import { AgendaItemBody, buildWorld, insertOrder, MeetingBody, MeetingWorld, person, post, scheduleMeeting } from './meeting-world';

const HOUR = 3600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
const ahead = (hours: number) => new Date(Date.now() + hours * HOUR);

describe('joint-meeting agenda', () => {
  let t: TestApp;
  let world: MeetingWorld;

  beforeAll(async () => {
    t = await createTestApp();
    world = await buildWorld(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('proposes the overdue, escalated and disputed work orders of the community for its next meeting, each once', async () => {
    const c = world.chain;
    const unresolved = await insertOrder(t, c, { title: '3号楼电梯故障', status: 'accepted', acceptedAt: ago(40), resolveDueAt: ago(5) });
    const unaccepted = await insertOrder(t, c, { title: '消防通道堵塞', acceptDueAt: ago(1) });
    const escalated = await insertOrder(t, c, { title: '地下车库渗水', level: 'street', escalations: 1 });
    const disputed = await insertOrder(t, c, { title: '外墙脱落', status: 'closed', closingReason: 'not_responsible', referredToName: '住建局', closedAt: ago(3) });
    const onTime = await insertOrder(t, c, { title: '路灯不亮', acceptDueAt: ahead(2), resolveDueAt: ahead(48) });
    const verified = await insertOrder(t, c, { title: '已督查工单', status: 'verified', resolveDueAt: ago(10), verifiedAt: ago(1) });
    const elsewhere = await t.factories.newOrgChain(c.city);
    const otherCommunity = await insertOrder(t, elsewhere, { title: '别的社区超期工单', resolveDueAt: ago(5) });

    const meeting = await scheduleMeeting(t, world);
    const proposed = meeting.agenda.filter((i) => i.status === 'proposed');
    const byOrder = new Map(proposed.flatMap((i) => i.workOrders.map((o) => [o.id, i] as const)));
    expect(byOrder.get(unresolved.id)?.source).toBe('overdue_order');
    expect(byOrder.get(unaccepted.id)?.source).toBe('overdue_order');
    expect(byOrder.get(escalated.id)?.source).toBe('escalated_order');
    expect(byOrder.get(disputed.id)?.source).toBe('disputed_order');
    for (const order of [onTime, verified, otherCommunity]) expect(byOrder.has(order.id)).toBe(false);
    expect(proposed).toHaveLength(4);

    // A later meeting is not the next one: it gets nothing, and the next one gets nothing twice.
    const later = await scheduleMeeting(t, world, { startsAt: new Date(Date.now() + 20 * 24 * HOUR).toISOString(), endsAt: new Date(Date.now() + 20 * 24 * HOUR + 2 * HOUR).toISOString() });
    expect(later.agenda).toEqual([]);
    const refresh = await post(t, world.people.convener.header, `/meetings/${meeting.id}/agenda/refresh`).expect(200);
    expect(refresh.body).toEqual({ proposed: [], carried: [] });
    expect(await t.em().count(AgendaItemOrder, { workOrderId: unresolved.id })).toBe(1);

    // A work order that falls overdue later is proposed by the next refresh.
    const newlyOverdue = await insertOrder(t, c, { title: '水泵房漏水', status: 'in_progress', acceptedAt: ago(30), resolveDueAt: ago(0.1) });
    const second = await post(t, world.people.convener.header, `/meetings/${meeting.id}/agenda/refresh`).expect(200);
    const added = (second.body as { proposed: AgendaItemBody[] }).proposed;
    expect(added.map((i) => i.workOrders[0]?.id)).toEqual([newlyOverdue.id]);
    expect(added[0]?.title).toContain('水泵房漏水');
  });

  it("lets an owners' committee member table a motion, and refuses property staff who are not on the committee", async () => {
    const meeting = await scheduleMeeting(t, world);
    const motion = await post(t, world.people.oc.header, `/meetings/${meeting.id}/motions`, { title: '更换小区门禁系统' }).expect(201);
    expect(motion.body).toMatchObject({ source: 'motion', status: 'proposed', proposerPartyId: world.parties.oc.id });
    const refused = await post(t, world.people.pc.header, `/meetings/${meeting.id}/motions`, { title: '物业也想动议' }).expect(403);
    expect((refused.body as { message: string }).message).toContain("owners' committee");
    // A member of another community's owners' committee does not even see the meeting.
    const other = await t.factories.newOrgChain(world.chain.city);
    const stranger = await person(t, Role.OwnersCommittee, { compound: other.compound });
    await post(t, stranger.header, `/meetings/${meeting.id}/motions`, { title: '外人' }).expect(404);
  });

  it('lets the convener register resident proposals, accept, order and drop items, and nobody else', async () => {
    const meeting = await scheduleMeeting(t, world);
    const convener = world.people.convener.header;
    const a = (await post(t, convener, `/meetings/${meeting.id}/proposals`, { title: '增设充电桩' }).expect(201)).body as AgendaItemBody;
    const b = (await post(t, convener, `/meetings/${meeting.id}/proposals`, { title: '楼道堆物清理' }).expect(201)).body as AgendaItemBody;
    expect(a.source).toBe('resident_proposal');
    await post(t, world.people.oc.header, `/meetings/${meeting.id}/proposals`, { title: '不是社工' }).expect(403);
    await t.http().patch(`/meetings/${meeting.id}/agenda/${a.id}`).set('Authorization', world.people.oc.header).send({ status: 'accepted' }).expect(403);

    await t.http().patch(`/meetings/${meeting.id}/agenda/${a.id}`).set('Authorization', convener).send({ status: 'accepted' }).expect(200);
    await t.http().patch(`/meetings/${meeting.id}/agenda/${b.id}`).set('Authorization', convener).send({ status: 'dropped' }).expect(200);
    const ordered = await t.http().put(`/meetings/${meeting.id}/agenda/order`).set('Authorization', convener).send({ itemIds: [b.id, a.id] }).expect(200);
    const items = (ordered.body as { items: AgendaItemBody[] }).items;
    expect(items.map((i) => [i.id, i.position, i.status])).toEqual([
      [b.id, 1, 'dropped'],
      [a.id, 2, 'accepted'],
    ]);
    const detail = (await t.http().get(`/meetings/${meeting.id}`).set('Authorization', world.people.oc.header).expect(200)).body as MeetingBody;
    expect(detail.agenda.map((i) => i.id)).toEqual([b.id, a.id]);
  });

  it('lists each invited party with the accounts that represent it', async () => {
    const meeting = await scheduleMeeting(t, world);
    const detail = await t.http().get(`/meetings/${meeting.id}`).set('Authorization', world.people.pc.header).expect(200);
    const parties = (detail.body as { parties: { id: string; kind: string; representatives: { accountId: string }[] }[] }).parties;
    const reps = (id: string) => parties.find((p) => p.id === id)?.representatives.map((r) => r.accountId) ?? [];
    expect(parties.map((p) => p.kind).sort()).toEqual(['owners_committee', 'party_organisation', 'property_company', 'residents_committee']);
    expect(reps(world.parties.po.id)).toEqual([world.people.convener.accountId]);
    expect(reps(world.parties.rc.id).sort()).toEqual([world.people.convener.accountId, world.people.rc.accountId].sort());
    expect(reps(world.parties.oc.id)).toEqual([world.people.oc.accountId]);
    expect(reps(world.parties.pc.id)).toEqual([world.people.pc.accountId]);
  });
});
