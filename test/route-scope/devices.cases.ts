import { randomBytes } from 'node:crypto';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Building } from '@sc/core/org/entities/building.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

function freshCode(): string {
  return `rs-${randomBytes(5).toString('hex')}`;
}

/** A smoke alarm in A's compound and building, written straight to the table. */
async function arrangeDevice(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const device = em.create(Device, {
    code: freshCode(),
    type: 'smoke',
    community: em.getReference(OrgUnit, world.a.community.id),
    compound: em.getReference(Compound, world.a.compound.id),
    building: em.getReference(Building, world.a.building.id),
    grid: em.getReference(OrgUnit, world.a.grid.id),
    credentialHash: hashToken(generateSecret('scd')),
  });
  await em.flush();
  world.ids.device = device.id;
}

/** A code for a device to be created by the request, fixed per world so all callers send the same body. */
async function arrangeNewCode(world: ScopeWorld): Promise<void> {
  world.ids.newCode = freshCode();
}

const deviceUrl = (world: ScopeWorld, suffix = '') => `/devices/${world.ids.device}${suffix}`;

export const devicesCases: RouteCase[] = [
  { method: 'GET', path: '/device-types', access: 'global', request: () => ({ url: '/device-types' }) },
  { method: 'GET', path: '/device-types/:code', access: 'global', request: () => ({ url: '/device-types/smoke' }) },
  {
    method: 'POST',
    path: '/devices',
    arrange: arrangeNewCode,
    request: (world) => ({
      url: '/devices',
      body: { code: world.ids.newCode, type: 'gas', communityId: world.a.community.id, compoundId: world.a.compound.id },
    }),
  },
  { method: 'GET', path: '/devices', arrange: arrangeDevice, request: (world) => ({ url: `/devices?communityId=${world.a.community.id}` }) },
  { method: 'GET', path: '/devices/:id', arrange: arrangeDevice, request: (world) => ({ url: deviceUrl(world) }) },
  {
    method: 'PATCH',
    path: '/devices/:id',
    arrange: arrangeDevice,
    request: (world) => ({ url: deviceUrl(world), body: { location: '3单元5楼' } }),
  },
  { method: 'POST', path: '/devices/:id/credentials', arrange: arrangeDevice, request: (world) => ({ url: deviceUrl(world, '/credentials') }) },
  { method: 'POST', path: '/devices/:id/disable', arrange: arrangeDevice, request: (world) => ({ url: deviceUrl(world, '/disable') }) },
  { method: 'POST', path: '/devices/:id/enable', arrange: arrangeDevice, request: (world) => ({ url: deviceUrl(world, '/enable') }) },
  {
    method: 'POST',
    path: '/devices/import',
    arrange: arrangeNewCode,
    request: (world) => ({
      url: '/devices/import',
      contentType: 'text/csv',
      body: `code,type,communityCode,compoundCode\n${world.ids.newCode},water_leak,${world.a.community.code},${world.a.compound.code}\n`,
    }),
  },
];
