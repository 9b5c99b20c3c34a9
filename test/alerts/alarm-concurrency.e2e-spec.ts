import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { AlarmWriter, RaiseInput } from '@sc/core/alerts/lifecycle/alarm-writer';
import { SYSTEM_ACTOR } from '@sc/core/audit/actor';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import { queryRows } from '@sc/core/telemetry/sql';
import { OrgChain, testDriver } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { createTestApp, TestApp } from '../support/test-app';
import { routeJobsOf } from './alerts-harness';

describe('one open alert per device and type, kept by the database', () => {
  let t: TestApp;
  let chain: OrgChain;

  beforeAll(async () => {
    t = await createTestApp();
    chain = await t.factories.newOrgChain();
  });
  afterAll(async () => {
    await t.close();
  });

  async function newDevice(): Promise<Device> {
    const em = t.em();
    const device = em.create(Device, {
      code: `cc-${randomBytes(5).toString('hex')}`,
      type: 'smoke',
      community: em.getReference(OrgUnit, chain.community.id),
      compound: em.getReference(Compound, chain.compound.id),
      grid: em.getReference(OrgUnit, chain.grid.id),
      credentialHash: hashToken(generateSecret('scd')),
    });
    await em.flush();
    return device;
  }

  function raiseOf(device: Device, at: Date): RaiseInput {
    return {
      rule: { alertType: 'smoke.alarm', kind: 'event', severity: 'critical', category: 'safety', name: { en: 'Smoke alarm', zh: '烟雾报警' } },
      placement: { deviceId: device.id, deviceType: 'smoke', communityId: chain.community.id, communityPath: chain.community.path, compoundId: chain.compound.id, gridId: chain.grid.id },
      at,
      msgId: `m-${at.getTime()}`,
      actor: SYSTEM_ACTOR,
    };
  }

  it('many parallel raisers of one (device, type) leave one open alert that counts every raise, with one route job', async () => {
    const device = await newDevice();
    const writer = t.app.get(AlarmWriter);
    const base = Date.now() - 60_000;
    const n = 24;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => t.em().transactional((tx) => writer.raise(tx, [raiseOf(device, new Date(base + i * 10))]))),
    );
    const alerts = await t.em().find(Alert, { device: device.id });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'active', count: n, openKey: `${device.id}/smoke.alarm` });
    expect(alerts[0].lastSeenAt.getTime()).toBe(base + (n - 1) * 10);
    expect(results.flat().filter((r) => r.isNew)).toHaveLength(1);
    expect(await routeJobsOf(t.em(), [alerts[0].id])).toHaveLength(1);
    const actions = (await t.em().find(AuditEntry, { subjectType: 'alert', subjectId: alerts[0].id })).map((e) => e.action).sort();
    expect(actions).toEqual(['raised', ...Array.from({ length: n - 1 }, () => 'repeated')]);
  });

  it('refuses a second open alert for the same key at the database, whoever writes it', async () => {
    const device = await newDevice();
    await t.em().transactional((tx) => t.app.get(AlarmWriter).raise(tx, [raiseOf(device, new Date())]));
    const em = t.em();
    em.create(Alert, {
      openKey: `${device.id}/smoke.alarm`,
      device: em.getReference(Device, device.id),
      alertType: 'smoke.alarm',
      ruleKind: 'event',
      nameZh: '烟雾报警',
      nameEn: 'Smoke alarm',
      severity: 'critical',
      category: 'safety',
      community: em.getReference(OrgUnit, chain.community.id),
      communityPath: chain.community.path,
      raisedAt: new Date(),
      lastSeenAt: new Date(),
    });
    await expect(em.flush()).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  });

  // SQLite has one writer at a time, so two open transactions cannot race there; the test above covers it serially.
  (testDriver() === 'postgresql' ? it : it.skip)(
    'a raiser that races an uncommitted raise waits for it and then counts as a repeat, not a second alert',
    async () => {
      const device = await newDevice();
      const writer = t.app.get(AlarmWriter);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let firstWrote!: () => void;
      const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
      const first = t.em().transactional(async (tx) => {
        const raised = await writer.raise(tx, [raiseOf(device, new Date(Date.now() - 2_000))]);
        firstWrote();
        await gate;
        return raised;
      });
      await wrote;
      const second = t.em().transactional((tx) => writer.raise(tx, [raiseOf(device, new Date(Date.now() - 1_000))]));
      // The second insert is blocked on the first's uncommitted row of the unique index.
      await waitFor(
        'the second raiser to wait on a lock',
        async () => {
          const rows = await queryRows<{ n: string | number }>(t.em(), `select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
          return Number(rows[0].n) > 0 ? true : undefined;
        },
        { withinMs: 5_000 },
      );
      release();
      const [a, b] = await Promise.all([first, second]);
      expect(a[0]).toMatchObject({ isNew: true, count: 1 });
      expect(b[0]).toMatchObject({ isNew: false, count: 2, alertId: a[0].alertId });
      expect(await t.em().count(Alert, { device: device.id })).toBe(1);
    },
  );
});
