import { randomBytes } from 'node:crypto';
import { Role } from '@sc/core/identity/roles';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { Party } from '@sc/core/org/entities/party.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { PartyKind } from '@sc/core/org/org-level';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { OrgChain } from '@sc/testing';
import type { TestApp } from '../support/test-app';

/** A person who logs in: account id and Authorization header. */
export interface Person {
  accountId: string;
  header: string;
}

/**
 * A community with its four joint-meeting parties and one representative of each:
 * the Party organisation's secretary is a community worker (and so the convener), the
 * residents' and owners' committee members hold committee roles on the compound, the property
 * company is represented by its staff.
 */
export interface MeetingWorld {
  chain: OrgChain;
  parties: { po: Party; rc: Party; oc: Party; pc: Party };
  people: { convener: Person; rc: Person; oc: Person; pc: Person };
}

const hex = (): string => randomBytes(4).toString('hex');

export async function person(t: TestApp, role: Role, anchor: Parameters<TestApp['factories']['newAccount']>[1]): Promise<Person> {
  const { account, username, password } = await t.factories.newAccount(role, anchor);
  return { accountId: account.id, header: await t.login(username, password) };
}

export async function buildWorld(t: TestApp, chain?: OrgChain): Promise<MeetingWorld> {
  const c = chain ?? (await t.factories.newOrgChain());
  const em = t.em();
  const community = em.getReference(OrgUnit, c.community.id);
  const compound = em.getReference(Compound, c.compound.id);
  const po = em.create(Party, { kind: PartyKind.PartyOrganisation, name: `社区党委 ${hex()}`, community });
  const rc = em.create(Party, { kind: PartyKind.ResidentsCommittee, name: `居委会 ${hex()}`, community });
  const oc = em.create(Party, { kind: PartyKind.OwnersCommittee, name: `业委会 ${hex()}`, community, compound });
  const pc = em.create(Party, { kind: PartyKind.PropertyCompany, name: `物业 ${hex()}`, community, compound, propertyCompany: em.getReference(PropertyCompany, c.company.id) });
  await em.flush();
  return {
    chain: c,
    parties: { po, rc, oc, pc },
    people: {
      convener: await person(t, Role.CommunityWorker, { orgUnit: c.community }),
      rc: await person(t, Role.ResidentsCommittee, { compound: c.compound }),
      oc: await person(t, Role.OwnersCommittee, { compound: c.compound }),
      pc: await person(t, Role.PropertyStaff, { company: c.company }),
    },
  };
}

const HOUR = 3600_000;

/** A work order written straight to the table (the work-orders feature is not under test here). */
export async function insertOrder(t: TestApp, chain: OrgChain, fields: Partial<WorkOrder> & { title: string }): Promise<WorkOrder> {
  const em = t.em();
  const now = Date.now();
  const order = em.create(WorkOrder, {
    number: `GD-T-${hex()}`,
    source: 'patrol',
    category: 'facility',
    type: 'elevator.fault',
    severity: 'major',
    status: 'dispatched',
    community: em.getReference(OrgUnit, chain.community.id),
    communityPath: chain.community.path,
    compound: em.getReference(Compound, chain.compound.id),
    levelUnit: em.getReference(OrgUnit, chain.community.id),
    acceptDueAt: new Date(now + HOUR),
    resolveDueAt: new Date(now + 24 * HOUR),
    reportedAt: new Date(now - 2 * HOUR),
    ...fields,
  });
  await em.flush();
  return order;
}

export function inDays(days: number, hour = 6): string {
  const d = new Date(Date.now() + days * 24 * HOUR);
  d.setUTCHours(hour, 30, 0, 0);
  return d.toISOString();
}

export interface MeetingBody {
  id: string;
  number: number;
  status: string;
  agenda: AgendaItemBody[];
  quorum: { met: boolean; reason: string | null };
}

export interface AgendaItemBody {
  id: string;
  source: string;
  status: string;
  title: string;
  position: number;
  workOrders: { id: string; number: string }[];
  decision: { id: string; outcome: string; actionItems: { workOrder: { id: string; status: string; progress: number | null }; ownerAccountId: string | null }[] } | null;
  carriedFromDecisionId: string | null;
}

export async function scheduleMeeting(t: TestApp, world: MeetingWorld, fields: Record<string, unknown> = {}): Promise<MeetingBody> {
  const res = await t
    .http()
    .post('/meetings')
    .set('Authorization', world.people.convener.header)
    .send({ communityId: world.chain.community.id, title: `联席会议 ${hex()}`, place: '社区党群服务中心二楼会议室', startsAt: inDays(7), endsAt: inDays(7, 8), ...fields });
  if (res.status !== 201) throw new Error(`scheduling failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as MeetingBody;
}

/** Each listed party's representative records themselves as present. */
export async function attend(t: TestApp, world: MeetingWorld, meetingId: string, who: (keyof MeetingWorld['people'])[]): Promise<void> {
  const partyOf = { convener: world.parties.po, rc: world.parties.rc, oc: world.parties.oc, pc: world.parties.pc };
  for (const key of who) {
    const res = await t.http().post(`/meetings/${meetingId}/attendance`).set('Authorization', world.people[key].header).send({ partyId: partyOf[key].id });
    if (res.status !== 200) throw new Error(`attendance of ${key} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** A resident proposal, accepted onto the agenda by the convener. */
export async function acceptedItem(t: TestApp, world: MeetingWorld, meetingId: string, title: string, workOrderIds: string[] = []): Promise<AgendaItemBody> {
  const created = await t.http().post(`/meetings/${meetingId}/proposals`).set('Authorization', world.people.convener.header).send({ title, workOrderIds });
  if (created.status !== 201) throw new Error(`proposal failed: ${created.status} ${JSON.stringify(created.body)}`);
  const item = created.body as AgendaItemBody;
  const accepted = await t.http().patch(`/meetings/${meetingId}/agenda/${item.id}`).set('Authorization', world.people.convener.header).send({ status: 'accepted' });
  if (accepted.status !== 200) throw new Error(`accepting failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return accepted.body as AgendaItemBody;
}

export function post(t: TestApp, header: string, url: string, body: unknown = {}) {
  return t.http().post(url).set('Authorization', header).send(body as object);
}
