import { PresenceSweeper } from '@sc/core/telemetry/presence-sweeper';
import { MqttClient } from 'mqtt';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { Role } from '@sc/core/identity/roles';
import { AlarmWriter, CONTINUATION_WRITE_INTERVAL_MS } from '@sc/core/alerts/lifecycle/alarm-writer';
import { OrgChain } from '@sc/testing';
import { AlertDevice, AlertsApp, alertsOf, publishEvent, publishStatus, publishTelemetry, routeJobsOf, startAlertsApp, waitForAlerts } from './alerts-harness';

async function actionsOf(t: AlertsApp, alertId: string): Promise<string[]> {
  return (await t.em().find(AuditEntry, { subjectType: 'alert', subjectId: alertId }, { orderBy: { at: 'asc', id: 'asc' } })).map((e) => e.action);
}

describe('the alarm lifecycle over MQTT', () => {
  let t: AlertsApp;
  let chain: OrgChain;
  let other: OrgChain;
  let worker: string;
  let gridWorker: string;
  let outsider: string;

  beforeAll(async () => {
    t = await startAlertsApp();
    chain = await t.factories.newOrgChain();
    other = await t.factories.newOrgChain(chain.city);
    const w = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: chain.community });
    const g = await t.factories.newAccount(Role.GridWorker, { orgUnit: chain.grid });
    const o = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: other.community });
    worker = await t.login(w.username, w.password);
    gridWorker = await t.login(g.username, g.password);
    outsider = await t.login(o.username, o.password);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('a smoke alarm', () => {
    let device: AlertDevice;
    let client: MqttClient;
    let first: Alert;

    beforeAll(async () => {
      // No grid of its own: the alert takes the grid of the device's building.
      device = await t.provision(chain, 'smoke', { grid: false, building: true });
      client = await t.connect(device);
    });

    it('published by a device raises one active alert, placed like the device, with one route job in the outbox', async () => {
      const ts = new Date(Date.now() - 5_000);
      const msgId = await publishEvent(client, device, 'smoke.alarm', ts, { zone: 'kitchen' });
      const alerts = await alertsOf(t.em(), device.id);
      expect(alerts).toHaveLength(1);
      first = alerts[0];
      expect(first).toMatchObject({
        alertType: 'smoke.alarm',
        ruleKind: 'event',
        status: 'active',
        severity: 'critical',
        category: 'safety',
        nameZh: '烟雾报警',
        count: 1,
        openKey: `${device.id}/smoke.alarm`,
        sourceMsgId: msgId,
        communityPath: chain.community.path,
        data: { zone: 'kitchen' },
      });
      expect(first.raisedAt.getTime()).toBe(ts.getTime());
      expect(first.community.id).toBe(chain.community.id);
      expect(first.compound?.id).toBe(chain.compound.id);
      expect(first.grid?.id).toBe(chain.grid.id);
      expect(await routeJobsOf(t.em(), [first.id])).toEqual([`route.${first.id}`]);
      expect(await actionsOf(t, first.id)).toEqual(['raised']);
    });

    it('repeated adds to the count and last seen of the open alert instead of adding rows or jobs', async () => {
      const later = new Date(Date.now() - 1_000);
      await publishEvent(client, device, 'smoke.alarm', later);
      await publishEvent(client, device, 'smoke.alarm', new Date(Date.now() - 3_000));
      const alerts = await alertsOf(t.em(), device.id);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ id: first.id, count: 3, status: 'active' });
      expect(alerts[0].lastSeenAt.getTime()).toBe(later.getTime());
      expect(await routeJobsOf(t.em(), [first.id])).toHaveLength(1);
      expect(await actionsOf(t, first.id)).toEqual(['raised', 'repeated', 'repeated']);
    });

    it('is visible to the community worker and the grid worker of its grid, not to another community', async () => {
      const list = await t.http().get(`/alerts?communityId=${chain.community.id}&status=active`).set('Authorization', worker);
      expect(list.status).toBe(200);
      expect(list.body.items.map((a: { id: string }) => a.id)).toContain(first.id);
      const mine = await t.http().get(`/alerts/${first.id}`).set('Authorization', gridWorker);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ id: first.id, deviceCode: device.code, gridId: chain.grid.id, statusLabel: { zh: '活动' }, severityLabel: { zh: '紧急' } });
      expect((await t.http().get(`/alerts/${first.id}`).set('Authorization', outsider)).status).toBe(404);
      expect((await t.http().post(`/alerts/${first.id}/acknowledge`).set('Authorization', outsider)).status).toBe(404);
      expect((await t.http().get(`/alerts?communityId=${chain.community.id}`).set('Authorization', outsider)).status).toBe(403);
      const theirs = await t.http().get('/alerts').set('Authorization', outsider);
      expect(theirs.body.items.map((a: { id: string }) => a.id)).not.toContain(first.id);
    });

    it('is acknowledged once by a person, which is audited; acknowledging again is a 409', async () => {
      const ack = await t.http().post(`/alerts/${first.id}/acknowledge`).set('Authorization', gridWorker);
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ status: 'acknowledged' });
      expect(ack.body.acknowledgedAt).toBeDefined();
      const again = await t.http().post(`/alerts/${first.id}/acknowledge`).set('Authorization', worker);
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already acknowledged/);
    });

    it('is cleared by its clearing event, and the next alarm is a new alert with a new route job', async () => {
      await publishEvent(client, device, 'smoke.clear');
      const cleared = await t.em().findOneOrFail(Alert, { id: first.id });
      expect(cleared).toMatchObject({ status: 'cleared', clearedBy: 'rule', openKey: null });
      expect(cleared.clearReason).toMatch(/smoke\.clear/);
      await publishEvent(client, device, 'smoke.alarm');
      const alerts = await alertsOf(t.em(), device.id);
      expect(alerts).toHaveLength(2);
      const second = alerts.find((a) => a.id !== first.id) as Alert;
      expect(second).toMatchObject({ status: 'active', count: 1 });
      expect(await routeJobsOf(t.em(), [first.id, second.id])).toEqual([`route.${first.id}`, `route.${second.id}`]);

      const history = await t.http().get(`/alerts/${first.id}/history`).set('Authorization', worker);
      expect(history.status).toBe(200);
      expect(history.body.map((e: { action: string }) => e.action)).toEqual(['raised', 'repeated', 'repeated', 'acknowledged', 'cleared']);
      expect(history.body[3]).toMatchObject({ actorKind: 'account', fromState: 'active', toState: 'acknowledged' });
      expect(history.body[4]).toMatchObject({ actorKind: 'device', actorName: device.code, fromState: 'acknowledged', toState: 'cleared' });
    });

    it('is cleared by hand with a reason; clearing twice or acknowledging a cleared alert is a 409', async () => {
      const [, second] = await alertsOf(t.em(), device.id);
      const missing = await t.http().post(`/alerts/${second.id}/clear`).set('Authorization', worker).send({});
      expect(missing.status).toBe(400);
      const res = await t.http().post(`/alerts/${second.id}/clear`).set('Authorization', worker).send({ reason: '现场确认误报(油烟)' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cleared', clearedBy: 'manual', clearReason: '现场确认误报(油烟)' });
      const twice = await t.http().post(`/alerts/${second.id}/clear`).set('Authorization', worker).send({ reason: 'again' });
      expect(twice.status).toBe(409);
      expect(twice.body.message).toMatch(/already cleared/);
      expect((await t.http().post(`/alerts/${second.id}/acknowledge`).set('Authorization', worker)).status).toBe(409);
      expect(await actionsOf(t, second.id)).toEqual(['raised', 'cleared']);
    });
  });

  it('raises a threshold alert when a value crosses its limit, takes further readings over it as the same condition, and clears it when the value is back inside', async () => {
    const device = await t.provision(chain, 'smoke');
    const client = await t.connect(device);
    await publishTelemetry(client, device, { temperature: 25, battery: 90 });
    expect(await alertsOf(t.em(), device.id)).toEqual([]);
    await publishTelemetry(client, device, { temperature: 63.5, battery: 90 });
    await publishTelemetry(client, device, { temperature: 70, battery: 90 });
    const heats = await alertsOf(t.em(), device.id, 'smoke.heat');
    expect(heats).toHaveLength(1);
    const [heat] = heats;
    // The second reading continues the open alert: no new row, no new job, no audit entry.
    expect(heat).toMatchObject({ status: 'active', ruleKind: 'threshold', severity: 'critical', data: { field: 'temperature', value: 63.5, limit: 57 } });
    expect(await routeJobsOf(t.em(), [heat.id])).toHaveLength(1);
    await publishTelemetry(client, device, { temperature: 31, battery: 90 });
    const [after] = await alertsOf(t.em(), device.id, 'smoke.heat');
    expect(after).toMatchObject({ id: heat.id, status: 'cleared', clearedBy: 'rule', openKey: null });
    expect(await actionsOf(t, heat.id)).toEqual(['raised', 'cleared']);
    // Over the limit again after the clear: a new alert at once.
    await publishTelemetry(client, device, { temperature: 66, battery: 90 });
    const again = await alertsOf(t.em(), device.id, 'smoke.heat');
    expect(again.map((a) => a.status)).toEqual(['cleared', 'active']);
  });

  it('counts readings that keep a condition alert open once this process has not written it for a while', async () => {
    const device = await t.provision(chain, 'manhole_cover');
    const client = await t.connect(device);
    const writer = t.app.get(AlarmWriter);
    await publishTelemetry(client, device, { tilt: 30 });
    const [tilt] = await alertsOf(t.em(), device.id, 'manhole.tilt');
    expect(writer.knownOpen(tilt.openKey as string)).toBe(true);
    expect(writer.knownOpen(tilt.openKey as string, Date.now() + CONTINUATION_WRITE_INTERVAL_MS)).toBe(false);
    // As if the interval had passed: the next reading is written as a repeat (count and last seen).
    writer.forget([tilt.openKey as string]);
    const later = new Date(Date.now() + 1_000);
    await publishTelemetry(client, device, { tilt: 31 }, later);
    const [after] = await alertsOf(t.em(), device.id, 'manhole.tilt');
    expect(after).toMatchObject({ id: tilt.id, count: 2, status: 'active' });
    expect(after.lastSeenAt.getTime()).toBe(later.getTime());
  });

  it('raises and clears in device-time order when both happen in one message burst', async () => {
    const device = await t.provision(chain, 'water_leak');
    const client = await t.connect(device);
    const base = Date.now() - 60_000;
    await Promise.all([
      publishEvent(client, device, 'water.leak', new Date(base)),
      publishEvent(client, device, 'water.leak_cleared', new Date(base + 1_000)),
      publishEvent(client, device, 'water.leak', new Date(base + 2_000)),
    ]);
    const alerts = await alertsOf(t.em(), device.id, 'water.leak');
    expect(alerts.map((a) => a.status).sort()).toEqual(['active', 'cleared']);
  });

  it('raises device offline on the last will and clears it when the device is back', async () => {
    const device = await t.provision(chain, 'gas');
    const client = await t.connect(device);
    await publishStatus(client, device, 'online');
    await publishStatus(client, device, 'offline');
    const [offline] = await alertsOf(t.em(), device.id, 'device.offline');
    expect(offline).toMatchObject({ status: 'active', ruleKind: 'offline', severity: 'major', category: 'facility', data: { reason: 'status_offline' } });
    expect(await routeJobsOf(t.em(), [offline.id])).toEqual([`route.${offline.id}`]);
    await publishStatus(client, device, 'online');
    const [back] = await alertsOf(t.em(), device.id, 'device.offline');
    expect(back).toMatchObject({ id: offline.id, status: 'cleared', clearedBy: 'rule' });
  });

  it('raises no offline alert for a provisioned device that never spoke (not installed yet), though it is marked offline', async () => {
    const device = await t.provision(chain, 'gas');
    // Past the never-seen grace period: the sweeper marks it offline.
    const changes = await t.app.get(PresenceSweeper).sweep(new Date(Date.now() + 30 * 24 * 3_600_000));
    expect(changes.filter((c) => c.deviceId === device.id).map((c) => c.reason)).toEqual(['never_seen']);
    expect(await alertsOf(t.em(), device.id, 'device.offline')).toEqual([]);
  });

  it('raises one alert for a burst of alarms from one device, however the batches split them', async () => {
    const device = await t.provision(chain, 'sos_button');
    const client = await t.connect(device);
    const base = Date.now() - 30_000;
    await Promise.all(Array.from({ length: 40 }, (_, i) => publishEvent(client, device, 'sos.pressed', new Date(base + i))));
    const alerts = await waitForAlerts(t, device.id, 1, 'sos.pressed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].count).toBe(40);
    expect(await routeJobsOf(t.em(), [alerts[0].id])).toHaveLength(1);
  });
});
