import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { CareWatch } from '@sc/core/alerts/care/care-watch';
import { CareSubject } from '@sc/core/alerts/entities/care-subject.entity';
import { RuleState } from '@sc/core/alerts/entities/rule-state.entity';
import { pseudonymise } from '@sc/core/shared/pseudonym';
import { Role } from '@sc/core/identity/roles';
import { createTestDatabase, OrgChain, TestDatabase } from '@sc/testing';
import { AlertsApp, alertsOf, publishEvent, publishTelemetry, routeJobsOf, startAlertsApp } from './alerts-harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('a duration rule', () => {
  let db: TestDatabase;
  let t: AlertsApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await db.drop();
  });

  it('raises only once the condition has held for its minutes, and its state survives a restart', async () => {
    t = await startAlertsApp({ db });
    const chain = await t.factories.newOrgChain();
    // door.left_open: open > 0 for 30 minutes (catalogue default).
    const device = await t.provision(chain, 'door_contact');
    let client = await t.connect(device);
    const start = Date.now() - 50 * MINUTE;
    await publishTelemetry(client, device, { open: 1 }, new Date(start));
    await publishTelemetry(client, device, { open: 1 }, new Date(start + 20 * MINUTE));
    expect(await alertsOf(t.em(), device.id)).toEqual([]);
    const state = await t.em().findOneOrFail(RuleState, { deviceId: device.id, alertType: 'door.left_open' });
    expect(state.state).toEqual({ since: new Date(start).toISOString() });

    // A restart in the middle: the start of the condition is in the database, not in memory.
    await t.close();
    t = await startAlertsApp({ db });
    client = await t.connect(device);
    await publishTelemetry(client, device, { open: 1 }, new Date(start + 29 * MINUTE));
    expect(await alertsOf(t.em(), device.id)).toEqual([]);
    await publishTelemetry(client, device, { open: 1 }, new Date(start + 31 * MINUTE));
    const [open] = await alertsOf(t.em(), device.id, 'door.left_open');
    expect(open).toMatchObject({ status: 'active', ruleKind: 'duration', severity: 'warning', data: { field: 'open', value: 1, forMinutes: 30, since: new Date(start).toISOString() } });
    expect(open.raisedAt.getTime()).toBe(start + 31 * MINUTE);

    // The door closes: the alert clears and the state is gone, so the next opening starts from zero.
    await publishTelemetry(client, device, { open: 0 }, new Date(start + 35 * MINUTE));
    expect(await t.em().findOneOrFail(Alert, { id: open.id })).toMatchObject({ status: 'cleared', clearedBy: 'rule' });
    expect(await t.em().findOne(RuleState, { deviceId: device.id, alertType: 'door.left_open' })).toBeNull();
    await publishTelemetry(client, device, { open: 1 }, new Date(start + 36 * MINUTE));
    await publishTelemetry(client, device, { open: 1 }, new Date(start + 40 * MINUTE));
    expect(await alertsOf(t.em(), device.id, 'door.left_open')).toHaveLength(1);
  });

  it('resets when the condition ends before its minutes are up', async () => {
    t ??= await startAlertsApp({ db });
    const chain = await t.factories.newOrgChain();
    // gas.lel_high: lel > 10 for 5 minutes.
    const device = await t.provision(chain, 'gas');
    const client = await t.connect(device);
    const start = Date.now() - 30 * MINUTE;
    await publishTelemetry(client, device, { lel: 14 }, new Date(start));
    await publishTelemetry(client, device, { lel: 4 }, new Date(start + 3 * MINUTE));
    await publishTelemetry(client, device, { lel: 15 }, new Date(start + 4 * MINUTE));
    await publishTelemetry(client, device, { lel: 16 }, new Date(start + 8 * MINUTE));
    expect(await alertsOf(t.em(), device.id)).toEqual([]);
    await publishTelemetry(client, device, { lel: 16 }, new Date(start + 9 * MINUTE));
    const [high] = await alertsOf(t.em(), device.id, 'gas.lel_high');
    expect(high).toMatchObject({ status: 'active', data: { since: new Date(start + 4 * MINUTE).toISOString() } });
  });
});

describe('rules with memory and care watch', () => {
  let t: AlertsApp;
  let chain: OrgChain;
  let other: OrgChain;
  let worker: string;

  beforeAll(async () => {
    t = await startAlertsApp();
    chain = await t.factories.newOrgChain();
    other = await t.factories.newOrgChain(chain.city);
    const w = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: chain.community });
    worker = await t.login(w.username, w.password);
  });
  afterAll(async () => {
    await t.close();
  });

  it('raises a repetition rule at the N-th event inside its window, only where the rule applies', async () => {
    const rule = await t.http().post('/alert-rules').set('Authorization', worker).send({
      communityId: chain.community.id,
      deviceType: 'access_controller',
      kind: 'repetition',
      params: { eventType: 'access.denied', times: 3, withinMinutes: 5 },
      severity: 'minor',
      category: 'facility',
      nameZh: '多次开门被拒',
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ alertType: 'access.denied', source: 'community' });

    const device = await t.provision(chain, 'access_controller');
    const elsewhere = await t.provision(other, 'access_controller');
    const client = await t.connect(device);
    const otherClient = await t.connect(elsewhere);
    const t0 = Date.now() - 30 * MINUTE;
    const deny = (c = client, d = device, minute = 0) => publishEvent(c, d, 'access.denied', new Date(t0 + minute * MINUTE), { subject: 'card-0042-raw' });
    await deny(client, device, 0);
    await deny(client, device, 1);
    await deny(client, device, 7);
    await deny(client, device, 8);
    expect(await alertsOf(t.em(), device.id)).toEqual([]);
    await deny(client, device, 9);
    const [alert] = await alertsOf(t.em(), device.id, 'access.denied');
    expect(alert).toMatchObject({ status: 'active', ruleKind: 'repetition', ruleId: rule.body.id, count: 1, nameZh: '多次开门被拒', severity: 'minor' });
    expect(alert.data).toMatchObject({ times: 3, withinMinutes: 5, firstAt: new Date(t0 + 7 * MINUTE).toISOString() });
    // The card number arrived pseudonymised and stays so.
    expect(JSON.stringify(alert.data)).not.toContain('card-0042-raw');
    expect(await routeJobsOf(t.em(), [alert.id])).toEqual([`route.${alert.id}`]);
    await deny(client, device, 10);
    expect((await alertsOf(t.em(), device.id, 'access.denied'))[0].count).toBe(2);

    for (const minute of [0, 1, 2, 3]) await deny(otherClient, elsewhere, minute);
    expect(await alertsOf(t.em(), elsewhere.id)).toEqual([]);
  });

  it('registers a care subject with a pseudonymised resident id and refuses devices that cannot show activity', async () => {
    const smoke = await t.provision(chain, 'smoke');
    const foreignDoor = await t.provision(other, 'door_contact');
    const door = await t.provision(chain, 'door_contact');
    const base = { communityId: chain.community.id, alias: '3栋2单元 独居老人A', quietHours: 24 };
    const wrongType = await t.http().post('/care-subjects').set('Authorization', worker).send({ ...base, deviceIds: [smoke.id] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details).toEqual([expect.objectContaining({ field: 'deviceIds' })]);
    expect(wrongType.body.message).toMatch(/door_contact or water_meter/);
    const foreign = await t.http().post('/care-subjects').set('Authorization', worker).send({ ...base, deviceIds: [foreignDoor.id] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toMatch(/another community/);
    const quiet = await t.http().post('/care-subjects').set('Authorization', worker).send({ ...base, quietHours: 200, deviceIds: [door.id] });
    expect(quiet.status).toBe(400);
    expect(quiet.body.details).toEqual([expect.objectContaining({ field: 'quietHours' })]);

    const created = await t.http().post('/care-subjects').set('Authorization', worker).send({ ...base, residentId: '340402194501011234', deviceIds: [door.id] });
    expect(created.status).toBe(201);
    const row = await t.em().findOneOrFail(CareSubject, { id: created.body.id });
    expect(row.residentRef).toBe(pseudonymise('test-pseudonym-key-of-at-least-thirty-two-chars', '340402194501011234', 'care-resident'));
    expect(JSON.stringify(created.body)).not.toContain('340402194501011234');
    expect(created.body).toMatchObject({ deviceIds: [door.id], quietHours: 24, active: true });
  });

  it('raises a care alert once per silence, clears it on activity, and raises again after a new silence', async () => {
    const [a, b] = [await t.provision(chain, 'door_contact'), await t.provision(chain, 'water_meter')];
    const created = await t.http().post('/care-subjects').set('Authorization', worker).send({
      communityId: chain.community.id,
      alias: '5栋 独居老人B',
      quietHours: 12,
      deviceIds: [a.id, b.id],
    });
    expect(created.status).toBe(201);
    const first = [a.id, b.id].sort()[0];
    const care = t.app.get(CareWatch);
    // Sweeps see every subject of the database: look at this one's.
    const sweep = async (at = new Date()) => (await care.sweep(at)).filter((r) => r.deviceId === first);
    const silentFor = (hours: number) => t.em().nativeUpdate(CareSubject, { id: created.body.id }, { lastActivityAt: new Date(Date.now() - hours * HOUR) });

    await silentFor(11);
    expect(await sweep()).toEqual([]);
    await silentFor(13);
    expect(await sweep()).toEqual([expect.objectContaining({ alertType: 'care.no_activity', isNew: true })]);
    const [alert] = await alertsOf(t.em(), first, 'care.no_activity');
    expect(alert).toMatchObject({ status: 'active', ruleKind: 'care_watch', severity: 'major', category: 'safety', count: 1, data: { careSubjectId: created.body.id, quietHours: 12 } });
    expect(await routeJobsOf(t.em(), [alert.id])).toEqual([`route.${alert.id}`]);

    // Still silent: the open alert holds it; a hand clear does not bring it back either.
    expect(await sweep()).toEqual([]);
    const cleared = await t.http().post(`/alerts/${alert.id}/clear`).set('Authorization', worker).send({ reason: '电话联系, 老人外出探亲' });
    expect(cleared.status).toBe(200);
    expect(await sweep()).toEqual([]);
    expect(await alertsOf(t.em(), first, 'care.no_activity')).toHaveLength(1);

    // Activity: the water meter reports; the household is watched afresh and raises after a new silence.
    const meter = await t.connect(b);
    await publishTelemetry(meter, b, { reading: 123.4, flow: 0.2 });
    const subject = await t.em().findOneOrFail(CareSubject, { id: created.body.id });
    expect(subject.lastActivityAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await sweep(new Date(Date.now() + 11 * HOUR))).toEqual([]);
    expect(await sweep(new Date(Date.now() + 13 * HOUR))).toHaveLength(1);
    const alerts = await alertsOf(t.em(), first, 'care.no_activity');
    expect(alerts.map((x) => x.status)).toEqual(['cleared', 'active']);

    // And activity clears the open one by rule.
    const door = await t.connect(a);
    await publishEvent(door, a, 'door.open');
    const [, second] = await alertsOf(t.em(), first, 'care.no_activity');
    expect(second).toMatchObject({ status: 'cleared', clearedBy: 'rule' });
  });
});
