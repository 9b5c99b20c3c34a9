import { randomBytes } from 'node:crypto';
import { AlertRule } from '@sc/core/alerts/entities/alert-rule.entity';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { CareSubject, CareWatchDevice } from '@sc/core/alerts/entities/care-subject.entity';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

/** A device of A's compound and grid, written straight to the table. */
async function newDevice(world: ScopeWorld, t: TestApp, type: string): Promise<string> {
  const em = t.em();
  const device = em.create(Device, {
    code: `rs-al-${randomBytes(5).toString('hex')}`,
    type,
    community: em.getReference(OrgUnit, world.a.community.id),
    compound: em.getReference(Compound, world.a.compound.id),
    grid: em.getReference(OrgUnit, world.a.grid.id),
    credentialHash: hashToken(generateSecret('scd')),
  });
  await em.flush();
  return device.id;
}

/** An active smoke alarm in A. */
async function arrangeAlert(world: ScopeWorld, t: TestApp): Promise<void> {
  const deviceId = await newDevice(world, t, 'smoke');
  const em = t.em();
  const now = new Date();
  const alert = em.create(Alert, {
    openKey: `${deviceId}/smoke.alarm`,
    device: em.getReference(Device, deviceId),
    alertType: 'smoke.alarm',
    ruleKind: 'event',
    nameZh: '烟雾报警',
    nameEn: 'Smoke alarm',
    severity: 'critical',
    category: 'safety',
    community: em.getReference(OrgUnit, world.a.community.id),
    communityPath: world.a.community.path,
    compound: em.getReference(Compound, world.a.compound.id),
    grid: em.getReference(OrgUnit, world.a.grid.id),
    raisedAt: now,
    lastSeenAt: now,
  });
  await em.flush();
  world.ids.alert = alert.id;
}

/** A community override of A. */
async function arrangeRule(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const rule = em.create(AlertRule, {
    scopeKey: `unit:${world.a.community.id}`,
    communityId: world.a.community.id,
    deviceType: 'smoke',
    alertType: 'device.offline',
    kind: 'offline',
    params: {},
    severity: 'critical',
    category: 'facility',
    nameZh: '设备离线',
    nameEn: 'Device offline',
  });
  await em.flush();
  world.ids.rule = rule.id;
}

async function arrangeDoor(world: ScopeWorld, t: TestApp): Promise<void> {
  world.ids.door = await newDevice(world, t, 'door_contact');
}

/** A care subject of A watching a door contact. */
async function arrangeCareSubject(world: ScopeWorld, t: TestApp): Promise<void> {
  await arrangeDoor(world, t);
  const em = t.em();
  const subject = em.create(CareSubject, { community: em.getReference(OrgUnit, world.a.community.id), alias: '独居老人', quietHours: 24 });
  em.create(CareWatchDevice, { careSubjectId: subject.id, deviceId: world.ids.door });
  await em.flush();
  world.ids.careSubject = subject.id;
}

const alertUrl = (world: ScopeWorld, suffix = '') => `/alerts/${world.ids.alert}${suffix}`;

export const alertsCases: RouteCase[] = [
  { method: 'GET', path: '/alert-rules/defaults', access: 'global', request: () => ({ url: '/alert-rules/defaults?deviceType=smoke' }) },
  { method: 'GET', path: '/alert-rules', arrange: arrangeRule, request: (world) => ({ url: `/alert-rules?communityId=${world.a.community.id}` }) },
  { method: 'GET', path: '/alert-rules/effective', request: (world) => ({ url: `/alert-rules/effective?deviceType=smoke&communityId=${world.a.community.id}` }) },
  {
    method: 'POST',
    path: '/alert-rules',
    request: (world) => ({ url: '/alert-rules', body: { communityId: world.a.community.id, deviceType: 'gas', kind: 'offline', severity: 'critical' } }),
  },
  { method: 'PATCH', path: '/alert-rules/:id', arrange: arrangeRule, request: (world) => ({ url: `/alert-rules/${world.ids.rule}`, body: { severity: 'minor' } }) },
  { method: 'DELETE', path: '/alert-rules/:id', arrange: arrangeRule, request: (world) => ({ url: `/alert-rules/${world.ids.rule}` }) },
  { method: 'GET', path: '/alerts', arrange: arrangeAlert, request: (world) => ({ url: `/alerts?communityId=${world.a.community.id}` }) },
  { method: 'GET', path: '/alerts/:id', arrange: arrangeAlert, request: (world) => ({ url: alertUrl(world) }) },
  { method: 'GET', path: '/alerts/:id/history', arrange: arrangeAlert, request: (world) => ({ url: alertUrl(world, '/history') }) },
  { method: 'POST', path: '/alerts/:id/acknowledge', arrange: arrangeAlert, request: (world) => ({ url: alertUrl(world, '/acknowledge') }) },
  { method: 'POST', path: '/alerts/:id/clear', arrange: arrangeAlert, request: (world) => ({ url: alertUrl(world, '/clear'), body: { reason: '误报' } }) },
  {
    method: 'POST',
    path: '/care-subjects',
    arrange: arrangeDoor,
    request: (world) => ({ url: '/care-subjects', body: { communityId: world.a.community.id, alias: '独居老人', quietHours: 24, deviceIds: [world.ids.door] } }),
  },
  { method: 'GET', path: '/care-subjects', arrange: arrangeCareSubject, request: (world) => ({ url: `/care-subjects?communityId=${world.a.community.id}` }) },
  { method: 'GET', path: '/care-subjects/:id', arrange: arrangeCareSubject, request: (world) => ({ url: `/care-subjects/${world.ids.careSubject}` }) },
  {
    method: 'PATCH',
    path: '/care-subjects/:id',
    arrange: arrangeCareSubject,
    request: (world) => ({ url: `/care-subjects/${world.ids.careSubject}`, body: { quietHours: 36 } }),
  },
  { method: 'DELETE', path: '/care-subjects/:id', arrange: arrangeCareSubject, request: (world) => ({ url: `/care-subjects/${world.ids.careSubject}` }) },
];
