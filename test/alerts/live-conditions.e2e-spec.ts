import { LiveConditions } from '@sc/core/alerts/engine/live-conditions';
import { RuleState } from '@sc/core/alerts/entities/rule-state.entity';
import { createTestDatabase, OrgChain, TestDatabase, testDriver } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { AlertsApp, alertsOf, publishTelemetry, startAlertsApp } from './alerts-harness';

const MINUTE = 60_000;

/** Until its listener has read the live keys, an instance clears as if it knew nothing: wait for the real thing. */
async function listening(t: AlertsApp): Promise<void> {
  const live = t.app.get(LiveConditions);
  await waitFor('the live-condition listener to be trusted', () => (live.trusted() ? true : undefined), { withinMs: 10_000, everyMs: 50 });
}

// Two ingest instances on one database: PostgreSQL (SQLite has one writer and no NOTIFY, and clears without the set).
(testDriver() === 'postgresql' ? describe : describe.skip)('condition alerts across ingest instances', () => {
  let db: TestDatabase;
  let a: AlertsApp;
  let b: AlertsApp | undefined;
  let chain: OrgChain;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startAlertsApp({ db });
    chain = await a.factories.newOrgChain();
    await listening(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db.drop();
  });

  it('an instance started after a threshold alert was raised elsewhere clears it when a reading is back within its limit', async () => {
    const device = await a.provision(chain, 'smoke');
    await publishTelemetry(await a.connect(device), device, { temperature: 70, battery: 90 });
    const [heat] = await alertsOf(a.em(), device.id, 'smoke.heat');
    expect(heat).toMatchObject({ status: 'active', ruleKind: 'threshold' });

    b = await startAlertsApp({ db });
    await listening(b);
    await publishTelemetry(await b.connect(device), device, { temperature: 25, battery: 90 });
    expect(await alertsOf(b.em(), device.id, 'smoke.heat')).toMatchObject([{ id: heat.id, status: 'cleared', clearedBy: 'rule', openKey: null }]);
  });

  it('a threshold alert raised through one running instance is cleared by the next reading within its limit through another', async () => {
    b ??= await startAlertsApp({ db });
    await listening(b);
    const device = await a.provision(chain, 'smoke');
    // b reads nothing for this device until the reading below: only the announcement can tell it.
    await publishTelemetry(await b.connect(device), device, { temperature: 25, battery: 90 });
    await publishTelemetry(await a.connect(device), device, { temperature: 66, battery: 90 });
    const [heat] = await alertsOf(a.em(), device.id, 'smoke.heat');
    expect(heat).toMatchObject({ status: 'active' });

    await waitFor('b to hear of the alert', () => (b!.app.get(LiveConditions).mayBeLive(heat.openKey as string) ? true : undefined), { withinMs: 5_000, everyMs: 20 });
    await publishTelemetry(await b.connect(device), device, { temperature: 30, battery: 90 });
    expect(await alertsOf(b.em(), device.id, 'smoke.heat')).toMatchObject([{ id: heat.id, status: 'cleared', clearedBy: 'rule' }]);
  });

  it('a duration condition that started on one instance and ended on another starts over from zero', async () => {
    b ??= await startAlertsApp({ db });
    await listening(b);
    // door.left_open: open > 0 for 30 minutes.
    const device = await a.provision(chain, 'door_contact');
    const start = Date.now() - 60 * MINUTE;
    await publishTelemetry(await b.connect(device), device, { open: 0 }, new Date(start - MINUTE));
    await publishTelemetry(await a.connect(device), device, { open: 1 }, new Date(start));
    expect(await a.em().findOne(RuleState, { deviceId: device.id, alertType: 'door.left_open' })).not.toBeNull();
    const key = `${device.id}/door.left_open`;
    await waitFor('b to hear of the state', () => (b!.app.get(LiveConditions).mayBeLive(key) ? true : undefined), { withinMs: 5_000, everyMs: 20 });

    await publishTelemetry(await b.connect(device), device, { open: 0 }, new Date(start + 5 * MINUTE));
    expect(await b.em().findOne(RuleState, { deviceId: device.id, alertType: 'door.left_open' })).toBeNull();
    // Open again: 31 minutes after the first opening, but only 21 after this one.
    await publishTelemetry(await b.connect(device), device, { open: 1 }, new Date(start + 10 * MINUTE));
    await publishTelemetry(await b.connect(device), device, { open: 1 }, new Date(start + 31 * MINUTE));
    expect(await alertsOf(b.em(), device.id, 'door.left_open')).toEqual([]);
  });

  it('counts every key as live while the listener is gone, and trusts the set again once it has reconnected and read it', async () => {
    const live = a.app.get(LiveConditions);
    await listening(a);
    const device = await a.provision(chain, 'smoke');
    const key = `${device.id}/smoke.heat`;
    expect(live.mayBeLive(key)).toBe(false);
    // Ends the listener's session from the server side, as a database restart would.
    await a.em().getConnection().execute(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query like '%live_conditions%'`);
    await waitFor('the listener loss to be noticed', () => (live.trusted() ? undefined : true), { withinMs: 5_000, everyMs: 20 });
    expect(live.mayBeLive(key)).toBe(true);
    await listening(a);
    expect(live.mayBeLive(key)).toBe(false);
  });
});
