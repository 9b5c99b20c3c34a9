import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { Role } from '@sc/core/identity/roles';
import { OrgChain } from '@sc/testing';
import { AlertsApp, alertsOf, publishEvent, publishTelemetry, startAlertsApp } from './alerts-harness';

interface RuleBody {
  id?: string;
  alertType: string;
  kind: string;
  params: Record<string, unknown>;
  source: string;
  enabled: boolean;
}

describe('alert rules as data', () => {
  let t: AlertsApp;
  let chain: OrgChain;
  let other: OrgChain;
  let worker: string;
  let outsider: string;
  let cityOfficer: string;
  let gridWorker: string;

  beforeAll(async () => {
    t = await startAlertsApp();
    chain = await t.factories.newOrgChain();
    other = await t.factories.newOrgChain(chain.city);
    const login = async (role: Role, anchor: Parameters<typeof t.factories.newAccount>[1]) => {
      const a = await t.factories.newAccount(role, anchor);
      return t.login(a.username, a.password);
    };
    worker = await login(Role.CommunityWorker, { orgUnit: chain.community });
    outsider = await login(Role.CommunityWorker, { orgUnit: other.community });
    cityOfficer = await login(Role.CityOfficer, { orgUnit: chain.city });
    gridWorker = await login(Role.GridWorker, { orgUnit: chain.grid });
  });
  afterAll(async () => {
    await t.close();
  });

  const effective = async (auth: string, query: string): Promise<RuleBody[]> => {
    const res = await t.http().get(`/alert-rules/effective?${query}`).set('Authorization', auth);
    expect(res.status).toBe(200);
    return res.body as RuleBody[];
  };

  it('lists the catalogue defaults of a type: event mappings, thresholds, durations, offline and care watch', async () => {
    const gas = await t.http().get('/alert-rules/defaults?deviceType=gas').set('Authorization', gridWorker);
    expect(gas.status).toBe(200);
    const byType = new Map((gas.body as RuleBody[]).map((r) => [r.alertType, r]));
    expect(byType.get('gas.alarm')).toMatchObject({ kind: 'event', params: { eventType: 'gas.alarm' }, severity: 'critical', category: 'safety', source: 'default' });
    expect(byType.get('gas.lel_high')).toMatchObject({ kind: 'duration', params: { field: 'lel', op: 'gt', limit: 10, forMinutes: 5 }, kindLabel: { zh: '持续N分钟' } });
    expect(byType.get('device.offline')).toMatchObject({ kind: 'offline', severity: 'major', category: 'facility' });
    expect(byType.has('gas.clear')).toBe(false);
    const door = await t.http().get('/alert-rules/defaults?deviceType=door_contact').set('Authorization', gridWorker);
    expect(door.body).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'care_watch', alertType: 'care.no_activity', params: { quietHours: 24 } })]));
    const unknown = await t.http().get('/alert-rules/defaults?deviceType=toaster').set('Authorization', gridWorker);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'deviceType' })]);
  });

  it.each([
    ['an unknown kind', { deviceType: 'gas', alertType: 'gas.x', kind: 'magic', params: {} }, 'kind', /kind must be one of event, threshold, duration, repetition, offline, care_watch/],
    ['an unknown device type', { deviceType: 'toaster', kind: 'offline' }, 'deviceType', /deviceType must be a device type code/],
    ['an event type the device type does not send', { deviceType: 'smoke', kind: 'event', params: { eventType: 'gas.alarm' } }, 'params.eventType', /not sent by smoke devices/],
    ['a telemetry field the device type does not report', { deviceType: 'gas', alertType: 'gas.hot', kind: 'threshold', params: { field: 'temperature', op: 'gt', limit: 50 } }, 'params.field', /not a telemetry field of gas/],
    ['a limit outside the field\'s valid range', { deviceType: 'gas', alertType: 'gas.lel_high', kind: 'threshold', params: { field: 'lel', op: 'gt', limit: 150 } }, 'params.limit', /outside the valid range of gas\.lel: 0\.\.100 %LEL/],
    ['a comparison other than gt or lt', { deviceType: 'gas', alertType: 'gas.lel_high', kind: 'threshold', params: { field: 'lel', op: 'eq', limit: 5 } }, 'params.op', /params\.op must be one of gt, lt/],
    ['a repetition of fewer than 2 times', { deviceType: 'access_controller', kind: 'repetition', params: { eventType: 'access.denied', times: 1, withinMinutes: 5 }, severity: 'minor', category: 'facility' }, 'params.times', /from 2/],
    ['a repetition window of 0 minutes', { deviceType: 'access_controller', kind: 'repetition', params: { eventType: 'access.denied', times: 3, withinMinutes: 0 }, severity: 'minor', category: 'facility' }, 'params.withinMinutes', /greater than 0/],
    ['a duration of no minutes', { deviceType: 'gas', alertType: 'gas.lel_high', kind: 'duration', params: { field: 'lel', op: 'gt', limit: 8, forMinutes: -5 } }, 'params.forMinutes', /greater than 0/],
    ['an unknown severity', { deviceType: 'smoke', kind: 'event', params: { eventType: 'smoke.alarm' }, severity: 'urgent' }, 'severity', /severity must be one of critical, major, minor, warning/],
    ['an unknown category', { deviceType: 'smoke', kind: 'event', params: { eventType: 'smoke.alarm' }, category: 'fire' }, 'category', /category must be one of safety, facility/],
    ['care-watch quiet hours below 1', { deviceType: 'door_contact', kind: 'care_watch', params: { quietHours: 0 } }, 'params.quietHours', /from 1 to 168/],
    ['care-watch quiet hours above 168', { deviceType: 'water_meter', kind: 'care_watch', params: { quietHours: 200 } }, 'params.quietHours', /from 1 to 168/],
    ['care watch on a device that shows no activity', { deviceType: 'smoke', kind: 'care_watch', params: { quietHours: 24 } }, 'deviceType', /door_contact or water_meter/],
    ['a parameter the kind does not take', { deviceType: 'smoke', kind: 'event', params: { eventType: 'smoke.alarm', limit: 3 } }, 'params.limit', /not a parameter of a event rule/],
  ])('refuses %s with a 400 naming the field', async (_what, body, field, message) => {
    const res = await t.http().post('/alert-rules').set('Authorization', worker).send({ communityId: chain.community.id, ...body });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    expect(res.body.message).toMatch(message);
  });

  it('merges overrides: compound over community over global, per device type', async () => {
    const global = await t.http().post('/alert-rules').set('Authorization', cityOfficer).send({
      deviceType: 'gas',
      alertType: 'gas.lel_high',
      kind: 'duration',
      params: { field: 'lel', op: 'gt', limit: 12, forMinutes: 5 },
    });
    expect(global.status).toBe(201);
    expect(global.body).toMatchObject({ source: 'global', severity: 'major', category: 'safety', name: { zh: '燃气浓度偏高' } });
    const community = await t.http().post('/alert-rules').set('Authorization', worker).send({
      communityId: chain.community.id,
      deviceType: 'gas',
      alertType: 'gas.lel_high',
      kind: 'duration',
      params: { field: 'lel', op: 'gt', limit: 8, forMinutes: 3 },
    });
    expect(community.status).toBe(201);
    const compound = await t.http().post('/alert-rules').set('Authorization', worker).send({
      compoundId: chain.compound.id,
      deviceType: 'gas',
      alertType: 'gas.lel_high',
      kind: 'threshold',
      params: { field: 'lel', op: 'gt', limit: 6 },
      severity: 'critical',
    });
    expect(compound.status).toBe(201);

    const lel = (rules: RuleBody[]) => rules.filter((r) => r.alertType === 'gas.lel_high');
    expect(lel(await effective(worker, `deviceType=gas&compoundId=${chain.compound.id}`))).toEqual([
      expect.objectContaining({ kind: 'threshold', params: { field: 'lel', op: 'gt', limit: 6 }, source: 'compound', severity: 'critical', ruleId: compound.body.id }),
    ]);
    expect(lel(await effective(worker, `deviceType=gas&communityId=${chain.community.id}`))).toEqual([expect.objectContaining({ params: expect.objectContaining({ limit: 8 }), source: 'community' })]);
    expect(lel(await effective(outsider, `deviceType=gas&communityId=${other.community.id}`))).toEqual([expect.objectContaining({ params: expect.objectContaining({ limit: 12 }), source: 'global' })]);
    // Other rules of the type stay the defaults.
    expect((await effective(worker, `deviceType=gas&compoundId=${chain.compound.id}`)).find((r) => r.alertType === 'gas.alarm')).toMatchObject({ source: 'default' });

    const again = await t.http().post('/alert-rules').set('Authorization', worker).send({
      communityId: chain.community.id,
      deviceType: 'gas',
      alertType: 'gas.lel_high',
      kind: 'threshold',
      params: { field: 'lel', op: 'gt', limit: 9 },
    });
    expect(again.status).toBe(409);

    const mine = await t.http().get(`/alert-rules?communityId=${chain.community.id}&deviceType=gas`).set('Authorization', worker);
    expect(mine.body.items.map((r: RuleBody) => r.id).sort()).toEqual([global.body.id, community.body.id, compound.body.id].sort());
    const theirs = await t.http().get('/alert-rules?deviceType=gas').set('Authorization', outsider);
    expect(theirs.body.items.map((r: RuleBody) => r.id)).toEqual([global.body.id]);
    expect((await t.http().get(`/alert-rules?communityId=${chain.community.id}`).set('Authorization', outsider)).status).toBe(403);
    expect((await t.http().get(`/alert-rules/effective?deviceType=gas&compoundId=${chain.compound.id}`).set('Authorization', outsider)).status).toBe(404);
  });

  it('keeps global overrides to administrators and city officers, and other communities to their own workers', async () => {
    const global = await t.http().post('/alert-rules').set('Authorization', worker).send({ deviceType: 'smoke', kind: 'offline', severity: 'critical' });
    expect(global.status).toBe(403);
    const foreign = await t.http().post('/alert-rules').set('Authorization', outsider).send({ communityId: chain.community.id, deviceType: 'smoke', kind: 'offline', severity: 'critical' });
    expect(foreign.status).toBe(403);
    const created = await t.http().post('/alert-rules').set('Authorization', worker).send({ communityId: chain.community.id, deviceType: 'smoke', kind: 'offline', severity: 'critical' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ alertType: 'device.offline', severity: 'critical', category: 'facility' });
    expect((await t.http().patch(`/alert-rules/${created.body.id}`).set('Authorization', outsider).send({ severity: 'minor' })).status).toBe(404);
    expect((await t.http().delete(`/alert-rules/${created.body.id}`).set('Authorization', outsider)).status).toBe(404);
    // A grid worker reads the rules of their community but may not change them.
    expect((await t.http().patch(`/alert-rules/${created.body.id}`).set('Authorization', gridWorker).send({ severity: 'minor' })).status).toBe(403);
  });

  it('changes a rule in the running engine: an override applies in its community only, a disabled one switches the default off, a deleted one gives it back', async () => {
    const heat = await t.http().post('/alert-rules').set('Authorization', worker).send({
      communityId: chain.community.id,
      deviceType: 'smoke',
      alertType: 'smoke.heat',
      kind: 'threshold',
      params: { field: 'temperature', op: 'gt', limit: 40 },
    });
    expect(heat.status).toBe(201);
    const here = await t.provision(chain, 'smoke');
    const there = await t.provision(other, 'smoke');
    const [c1, c2] = [await t.connect(here), await t.connect(there)];
    await publishTelemetry(c1, here, { temperature: 45 });
    await publishTelemetry(c2, there, { temperature: 45 });
    expect(await alertsOf(t.em(), here.id, 'smoke.heat')).toEqual([expect.objectContaining({ status: 'active', ruleId: heat.body.id, data: expect.objectContaining({ limit: 40 }) })]);
    expect(await alertsOf(t.em(), there.id, 'smoke.heat')).toEqual([]);

    const off = await t.http().post('/alert-rules').set('Authorization', worker).send({
      communityId: chain.community.id,
      deviceType: 'smoke',
      kind: 'event',
      params: { eventType: 'smoke.tamper' },
      enabled: false,
    });
    expect(off.status).toBe(201);
    expect((await effective(worker, `deviceType=smoke&communityId=${chain.community.id}`)).find((r) => r.alertType === 'smoke.tamper')).toMatchObject({ enabled: false, source: 'community' });
    await publishEvent(c1, here, 'smoke.tamper');
    await publishEvent(c2, there, 'smoke.tamper');
    expect(await alertsOf(t.em(), here.id, 'smoke.tamper')).toEqual([]);
    expect(await alertsOf(t.em(), there.id, 'smoke.tamper')).toHaveLength(1);

    const patched = await t.http().patch(`/alert-rules/${off.body.id}`).set('Authorization', worker).send({ params: { eventType: 'smoke.silenced' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ params: { eventType: 'smoke.silenced' }, enabled: false });
    const badPatch = await t.http().patch(`/alert-rules/${off.body.id}`).set('Authorization', worker).send({ kind: 'threshold', params: { field: 'obscuration', op: 'gt', limit: 9 } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.details).toEqual([expect.objectContaining({ field: 'params.limit' })]);

    const removed = await t.http().delete(`/alert-rules/${off.body.id}`).set('Authorization', worker);
    expect(removed.status).toBe(204);
    await publishEvent(c1, here, 'smoke.tamper');
    expect(await alertsOf(t.em(), here.id, 'smoke.tamper')).toHaveLength(1);

    const audit = await t.em().find(AuditEntry, { subjectType: 'alert_rule', subjectId: off.body.id }, { orderBy: { at: 'asc', id: 'asc' } });
    expect(audit.map((e) => [e.action, e.actorKind])).toEqual([
      ['created', 'account'],
      ['updated', 'account'],
      ['deleted', 'account'],
    ]);
  });

  it('overrides a telemetry rule without touching the device event of the same alert type', async () => {
    const res = await t.http().post('/alert-rules').set('Authorization', worker).send({
      communityId: chain.community.id,
      deviceType: 'water_leak',
      alertType: 'battery.low',
      kind: 'threshold',
      params: { field: 'battery', op: 'lt', limit: 30 },
    });
    expect(res.status).toBe(201);
    const battery = (await effective(worker, `deviceType=water_leak&communityId=${chain.community.id}`)).filter((r) => r.alertType === 'battery.low');
    expect(battery).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'event', source: 'default' }),
        expect.objectContaining({ kind: 'threshold', source: 'community', params: { field: 'battery', op: 'lt', limit: 30 } }),
      ]),
    );
    expect(battery).toHaveLength(2);
  });
});
