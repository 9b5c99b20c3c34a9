import { randomBytes } from 'node:crypto';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import { IngestRejection } from '@sc/core/telemetry/entities/ingest-rejection.entity';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

/** A gas detector in A's compound with one quarantined message. */
async function arrangeDeviceWithRejection(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const device = em.create(Device, {
    code: `rs-${randomBytes(5).toString('hex')}`,
    type: 'gas',
    community: em.getReference(OrgUnit, world.a.community.id),
    compound: em.getReference(Compound, world.a.compound.id),
    credentialHash: hashToken(generateSecret('scd')),
  });
  em.create(IngestRejection, {
    receivedAt: new Date(),
    reason: 'not_json',
    detail: 'payload is not JSON',
    topic: `sc/v1/${world.a.community.code}/${device.code}/telemetry`,
    deviceCode: device.code,
    device,
  });
  await em.flush();
  world.ids.device = device.id;
}

export const ingestCases: RouteCase[] = [
  { method: 'GET', path: '/devices/:id/events', arrange: arrangeDeviceWithRejection, request: (world) => ({ url: `/devices/${world.ids.device}/events?limit=10` }) },
  { method: 'GET', path: '/ingest/rejections', arrange: arrangeDeviceWithRejection, request: (world) => ({ url: `/ingest/rejections?deviceId=${world.ids.device}` }) },
];
