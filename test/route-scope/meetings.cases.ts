import { randomBytes } from 'node:crypto';
import { Role } from '@sc/core/identity/roles';
import { AgendaItem } from '@sc/core/meetings/entities/agenda-item.entity';
import { Decision } from '@sc/core/meetings/entities/decision.entity';
import { MeetingAttendance } from '@sc/core/meetings/entities/meeting-attendance.entity';
import { MeetingMinutes } from '@sc/core/meetings/entities/meeting-minutes.entity';
import { MeetingParty } from '@sc/core/meetings/entities/meeting-party.entity';
import { Meeting } from '@sc/core/meetings/entities/meeting.entity';
import { MeetingStatus, DEFAULT_QUORUM, MinutesStatus } from '@sc/core/meetings/meeting-states';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { Party } from '@sc/core/org/entities/party.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { PartyKind } from '@sc/core/org/org-level';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

const hex = (): string => randomBytes(4).toString('hex');
const HOUR = 3600_000;

/** The four parties of A's community (owners' committee and company of A's compound). */
async function arrangeParties(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const community = em.getReference(OrgUnit, world.a.community.id);
  const compound = em.getReference(Compound, world.a.compound.id);
  const parties = [
    em.create(Party, { kind: PartyKind.PartyOrganisation, name: `党委 ${hex()}`, community }),
    em.create(Party, { kind: PartyKind.ResidentsCommittee, name: `居委会 ${hex()}`, community }),
    em.create(Party, { kind: PartyKind.OwnersCommittee, name: `业委会 ${hex()}`, community, compound }),
    em.create(Party, { kind: PartyKind.PropertyCompany, name: `物业 ${hex()}`, community, compound, propertyCompany: em.getReference(PropertyCompany, world.a.company.id) }),
  ];
  await em.flush();
  [world.ids.po, world.ids.rc, world.ids.oc, world.ids.pc] = parties.map((p) => p.id);
  const member = await t.factories.newAccount(Role.OwnersCommittee, { compound: world.a.compound });
  world.ids.ocMember = member.account.id;
}

/** A meeting of A's community in the given state, its parties invited, with one accepted agenda item. */
function arrangeMeeting(status: MeetingStatus, extra: { present?: boolean; minutes?: MinutesStatus; actionItem?: boolean } = {}) {
  return async (world: ScopeWorld, t: TestApp): Promise<void> => {
    await arrangeParties(world, t);
    const em = t.em();
    const community = await em.findOneOrFail(OrgUnit, { id: world.a.community.id });
    const starts = new Date(Date.now() + 24 * HOUR);
    const meeting = em.create(Meeting, {
      seq: 1,
      community,
      communityPath: community.path,
      title: `联席会议 ${hex()}`,
      place: '会议室',
      startsAt: starts,
      endsAt: new Date(starts.getTime() + 2 * HOUR),
      status,
      convenerParty: em.getReference(Party, world.ids.po!),
      quorum: DEFAULT_QUORUM,
      closedAt: status === 'closed' ? new Date() : undefined,
    });
    for (const id of [world.ids.po, world.ids.rc, world.ids.oc, world.ids.pc]) {
      const party = await em.findOneOrFail(Party, { id: id! });
      em.create(MeetingParty, { meeting, party, kind: party.kind, name: party.name });
      if (extra.present) em.create(MeetingAttendance, { meeting, party, attendeeKey: `member:${hex()}`, name: '代表', present: true, arrivedAt: new Date() });
    }
    const item = em.create(AgendaItem, { meeting, position: 1, source: 'resident_proposal', title: '增设充电桩', status: 'accepted' });
    if (extra.minutes) {
      em.create(MeetingMinutes, { meeting, version: 1, status: extra.minutes, content: { note: 'v1' }, text: '纪要', publishedAt: extra.minutes === 'published' ? new Date() : undefined });
    }
    await em.flush();
    world.ids.meeting = meeting.id;
    world.ids.item = item.id;
    if (extra.actionItem) {
      const decision = em.create(Decision, { meeting, item, outcome: 'adopted', rule: 'consensus', reason: 'test' });
      const order = em.create(WorkOrder, {
        number: `GD-RS-${hex()}`,
        source: 'meeting',
        category: 'meeting',
        type: 'action_item',
        severity: 'minor',
        title: '充电桩选址',
        status: 'dispatched',
        community,
        communityPath: community.path,
        compound: em.getReference(Compound, world.a.compound.id),
        levelUnit: community,
        meetingDecisionId: decision.id,
        ownerPartyId: world.ids.pc,
        progress: 0,
      });
      await em.flush();
      world.ids.order = order.id;
    }
  };
}

/** An issue (work order) of A's compound. */
async function arrangeIssue(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const community = await em.findOneOrFail(OrgUnit, { id: world.a.community.id });
  const order = em.create(WorkOrder, {
    number: `GD-RS-${hex()}`,
    source: 'patrol',
    category: 'facility',
    type: 'elevator.fault',
    severity: 'major',
    title: '电梯故障',
    community,
    communityPath: community.path,
    compound: em.getReference(Compound, world.a.compound.id),
    levelUnit: community,
  });
  await em.flush();
  world.ids.order = order.id;
}

const m = (world: ScopeWorld, suffix = '') => `/meetings/${world.ids.meeting}${suffix}`;

export const meetingsCases: RouteCase[] = [
  {
    method: 'POST',
    path: '/meetings',
    arrange: arrangeParties,
    request: (world) => ({
      url: '/meetings',
      body: { communityId: world.a.community.id, title: '联席会议', place: '会议室', startsAt: new Date(Date.now() + 48 * HOUR).toISOString(), endsAt: new Date(Date.now() + 50 * HOUR).toISOString() },
    }),
  },
  { method: 'GET', path: '/meetings', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: `/meetings?communityId=${world.a.community.id}` }) },
  { method: 'GET', path: '/meetings/:id', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world) }) },
  { method: 'PATCH', path: '/meetings/:id', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world), body: { place: '二楼会议室' } }) },
  { method: 'POST', path: '/meetings/:id/start', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/start') }) },
  { method: 'POST', path: '/meetings/:id/close', arrange: arrangeMeeting('in_session'), request: (world) => ({ url: m(world, '/close') }) },
  { method: 'POST', path: '/meetings/:id/cancel', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/cancel'), body: { reason: '改期' } }) },
  { method: 'GET', path: '/meetings/:id/history', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/history') }) },

  { method: 'GET', path: '/meetings/:id/agenda', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/agenda') }) },
  { method: 'POST', path: '/meetings/:id/agenda/refresh', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/agenda/refresh') }) },
  { method: 'PUT', path: '/meetings/:id/agenda/order', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/agenda/order'), body: { itemIds: [world.ids.item] } }) },
  { method: 'PATCH', path: '/meetings/:id/agenda/:itemId', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, `/agenda/${world.ids.item}`), body: { status: 'dropped' } }) },
  {
    method: 'POST',
    path: '/meetings/:id/motions',
    arrange: arrangeMeeting('scheduled'),
    request: (world) => ({ url: m(world, '/motions'), body: { title: '更换门禁', partyId: world.ids.oc } }),
  },
  { method: 'POST', path: '/meetings/:id/proposals', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/proposals'), body: { title: '增设座椅' } }) },
  {
    method: 'POST',
    path: '/meetings/:id/agenda/:itemId/positions',
    arrange: arrangeMeeting('in_session', { present: true }),
    request: (world) => ({ url: m(world, `/agenda/${world.ids.item}/positions`), body: { partyId: world.ids.oc, position: 'agree' } }),
  },
  {
    method: 'POST',
    path: '/meetings/:id/agenda/:itemId/decision',
    arrange: arrangeMeeting('in_session'),
    request: (world) => ({ url: m(world, `/agenda/${world.ids.item}/decision`), body: { outcome: 'deferred' } }),
  },

  { method: 'GET', path: '/meetings/:id/attendance', arrange: arrangeMeeting('scheduled'), request: (world) => ({ url: m(world, '/attendance') }) },
  {
    method: 'POST',
    path: '/meetings/:id/attendance',
    arrange: arrangeMeeting('scheduled'),
    request: (world) => ({ url: m(world, '/attendance'), body: { partyId: world.ids.oc, accountId: world.ids.ocMember } }),
  },
  { method: 'GET', path: '/meetings/:id/action-items', arrange: arrangeMeeting('closed', { actionItem: true }), request: (world) => ({ url: m(world, '/action-items') }) },
  {
    method: 'POST',
    path: '/meetings/:id/action-items/:orderId/progress',
    arrange: arrangeMeeting('closed', { actionItem: true }),
    request: (world) => ({ url: m(world, `/action-items/${world.ids.order}/progress`), body: { percent: 30 } }),
  },

  { method: 'GET', path: '/meetings/:id/minutes', arrange: arrangeMeeting('closed', { minutes: 'published' }), request: (world) => ({ url: m(world, '/minutes') }) },
  { method: 'GET', path: '/meetings/:id/minutes/:version', arrange: arrangeMeeting('closed', { minutes: 'published' }), request: (world) => ({ url: m(world, '/minutes/1') }) },
  {
    method: 'POST',
    path: '/meetings/:id/minutes/corrections',
    arrange: arrangeMeeting('closed', { minutes: 'published' }),
    request: (world) => ({ url: m(world, '/minutes/corrections'), body: { reason: '更正出席名单', content: { note: 'v2' } } }),
  },
  { method: 'PUT', path: '/meetings/:id/minutes/:version', arrange: arrangeMeeting('closed', { minutes: 'draft' }), request: (world) => ({ url: m(world, '/minutes/1'), body: { text: '修改草稿' } }) },
  { method: 'PATCH', path: '/meetings/:id/minutes/:version', arrange: arrangeMeeting('closed', { minutes: 'draft' }), request: (world) => ({ url: m(world, '/minutes/1'), body: { text: '修改草稿' } }) },
  { method: 'POST', path: '/meetings/:id/minutes/:version/publish', arrange: arrangeMeeting('closed', { minutes: 'draft' }), request: (world) => ({ url: m(world, '/minutes/1/publish') }) },

  {
    method: 'GET',
    path: '/meetings/calendar/community/:communityId.ics',
    arrange: arrangeMeeting('scheduled'),
    request: (world) => ({ url: `/meetings/calendar/community/${world.a.community.id}.ics` }),
  },
  { method: 'GET', path: '/meetings/calendar/me.ics', access: 'self', request: () => ({ url: '/meetings/calendar/me.ics' }) },

  { method: 'GET', path: '/boards/compounds/:compoundId', arrange: arrangeIssue, request: (world) => ({ url: `/boards/compounds/${world.a.compound.id}` }) },
  { method: 'GET', path: '/boards/compounds/:compoundId/issues/:orderId', arrange: arrangeIssue, request: (world) => ({ url: `/boards/compounds/${world.a.compound.id}/issues/${world.ids.order}` }) },
];
