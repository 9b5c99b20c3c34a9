import { randomBytes } from 'node:crypto';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { Party } from '@sc/core/org/entities/party.entity';
import { PartyMember } from '@sc/core/org/entities/party-member.entity';
import { PartyKind } from '@sc/core/org/org-level';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

function freshCode(): string {
  return `rs-org-${randomBytes(5).toString('hex')}`;
}

/** A code for a row the request creates, fixed per world so every caller sends the same body. */
async function arrangeNewCode(world: ScopeWorld): Promise<void> {
  world.ids.newCode = freshCode();
}

/** A grid worker on the roster of A's grid. */
async function arrangeGridWorker(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const worker = em.create(GridWorker, { code: freshCode(), name: '王芳', grid: em.getReference(OrgUnit, world.a.grid.id) });
  await em.flush();
  world.ids.gridWorker = worker.id;
}

/** The residents' committee of A's community, with one member. */
async function arrangeParty(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const party = em.create(Party, { kind: PartyKind.ResidentsCommittee, name: `居委会 ${freshCode()}`, community: em.getReference(OrgUnit, world.a.community.id) });
  const member = em.create(PartyMember, { party, name: '李华', title: '主任' });
  await em.flush();
  world.ids.party = party.id;
  world.ids.partyMember = member.id;
}

const a = (world: ScopeWorld) => world.a;

export const orgCases: RouteCase[] = [
  {
    method: 'POST',
    path: '/org/units',
    arrange: arrangeNewCode,
    request: (world) => ({ url: '/org/units', body: { code: world.ids.newCode, name: '新网格', level: 'grid', parentId: a(world).community.id } }),
  },
  { method: 'GET', path: '/org/units', request: (world) => ({ url: `/org/units?under=${a(world).community.id}` }) },
  { method: 'GET', path: '/org/units/:id', request: (world) => ({ url: `/org/units/${a(world).community.id}` }) },
  { method: 'PATCH', path: '/org/units/:id', request: (world) => ({ url: `/org/units/${a(world).community.id}`, body: { name: '锦里社区' } }) },

  {
    method: 'POST',
    path: '/property-companies',
    arrange: arrangeNewCode,
    request: (world) => ({ url: '/property-companies', body: { code: world.ids.newCode, name: '新物业公司' } }),
  },
  { method: 'GET', path: '/property-companies', request: (world) => ({ url: `/property-companies?under=${a(world).community.id}` }) },
  { method: 'GET', path: '/property-companies/:id', request: (world) => ({ url: `/property-companies/${a(world).company.id}` }) },
  {
    method: 'PATCH',
    path: '/property-companies/:id',
    request: (world) => ({ url: `/property-companies/${a(world).company.id}`, body: { servicePhone: '0554-1234567' } }),
  },

  {
    method: 'POST',
    path: '/compounds',
    arrange: arrangeNewCode,
    request: (world) => ({ url: '/compounds', body: { code: world.ids.newCode, name: '新小区', communityId: a(world).community.id } }),
  },
  { method: 'GET', path: '/compounds', request: (world) => ({ url: `/compounds?communityId=${a(world).community.id}` }) },
  { method: 'GET', path: '/compounds/:id', request: (world) => ({ url: `/compounds/${a(world).compound.id}` }) },
  { method: 'PATCH', path: '/compounds/:id', request: (world) => ({ url: `/compounds/${a(world).compound.id}`, body: { name: '锦里花园' } }) },
  {
    method: 'POST',
    path: '/compounds/:id/buildings',
    arrange: arrangeNewCode,
    request: (world) => ({ url: `/compounds/${a(world).compound.id}/buildings`, body: { code: world.ids.newCode, name: '新楼', gridId: a(world).grid.id } }),
  },
  { method: 'GET', path: '/compounds/:id/buildings', request: (world) => ({ url: `/compounds/${a(world).compound.id}/buildings` }) },
  { method: 'GET', path: '/buildings/:id', request: (world) => ({ url: `/buildings/${a(world).building.id}` }) },
  { method: 'PATCH', path: '/buildings/:id', request: (world) => ({ url: `/buildings/${a(world).building.id}`, body: { floors: 6 } }) },

  {
    method: 'POST',
    path: '/grid-workers',
    arrange: arrangeNewCode,
    request: (world) => ({ url: '/grid-workers', body: { code: world.ids.newCode, name: '赵敏', gridId: a(world).grid.id } }),
  },
  { method: 'GET', path: '/grid-workers', arrange: arrangeGridWorker, request: (world) => ({ url: `/grid-workers?gridId=${a(world).grid.id}` }) },
  { method: 'GET', path: '/grid-workers/:id', arrange: arrangeGridWorker, request: (world) => ({ url: `/grid-workers/${world.ids.gridWorker}` }) },
  {
    method: 'PATCH',
    path: '/grid-workers/:id',
    arrange: arrangeGridWorker,
    request: (world) => ({ url: `/grid-workers/${world.ids.gridWorker}`, body: { fullTime: false } }),
  },

  {
    method: 'POST',
    path: '/parties',
    arrange: arrangeNewCode,
    request: (world) => ({ url: '/parties', body: { kind: 'party_organisation', name: world.ids.newCode, communityId: a(world).community.id } }),
  },
  { method: 'GET', path: '/parties', arrange: arrangeParty, request: (world) => ({ url: `/parties?communityId=${a(world).community.id}` }) },
  { method: 'GET', path: '/parties/:id', arrange: arrangeParty, request: (world) => ({ url: `/parties/${world.ids.party}` }) },
  { method: 'PATCH', path: '/parties/:id', arrange: arrangeParty, request: (world) => ({ url: `/parties/${world.ids.party}`, body: { name: '锦里社区居委会' } }) },
  {
    method: 'POST',
    path: '/parties/:id/members',
    arrange: arrangeParty,
    request: (world) => ({ url: `/parties/${world.ids.party}/members`, body: { name: '周敏', title: '委员' } }),
  },
  { method: 'GET', path: '/parties/:id/members', arrange: arrangeParty, request: (world) => ({ url: `/parties/${world.ids.party}/members` }) },
  {
    method: 'PATCH',
    path: '/parties/:id/members/:memberId',
    arrange: arrangeParty,
    request: (world) => ({ url: `/parties/${world.ids.party}/members/${world.ids.partyMember}`, body: { title: '副主任' } }),
  },

  {
    method: 'POST',
    path: '/org/import',
    arrange: arrangeNewCode,
    request: (world) => ({ url: '/org/import', body: { units: [{ code: world.ids.newCode, name: '导入网格', level: 'grid', parentCode: a(world).community.code }] } }),
  },
  {
    method: 'POST',
    path: '/org/import/:kind',
    arrange: arrangeNewCode,
    request: (world) => ({
      url: '/org/import/units',
      contentType: 'text/csv',
      body: `code,name,level,parentCode\n${world.ids.newCode},导入网格,grid,${a(world).community.code}\n`,
    }),
  },
];
