import { EntityManager } from '@mikro-orm/knex';
import { testDriver } from '@sc/testing';
import { EventTableMaintenance, partitionName } from '@sc/core/telemetry/event-table-maintenance';
import { IngestRejection } from '@sc/core/telemetry/entities/ingest-rejection.entity';
import { execute, queryRows } from '@sc/core/telemetry/sql';
import { createIngestTestApp, IngestTestApp, ProvisionedDevice } from '../support/ingest-test-app';

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;

async function insertEvent(em: EntityManager, device: ProvisionedDevice, msgId: string, ts: Date): Promise<void> {
  await execute(
    em,
    'insert into device_events (device_id, msg_id, ts, received_at, device_code, site_id, channel, type, payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [device.id, msgId, ts, new Date(), device.code, device.siteId, 'telemetry', null, JSON.stringify({ temperature: 20 })],
  );
}

async function msgIds(em: EntityManager, device: ProvisionedDevice): Promise<string[]> {
  const rows = await queryRows<{ msg_id: string }>(em, 'select msg_id from device_events where device_id = ? order by msg_id', [device.id]);
  return rows.map((r) => r.msg_id);
}

async function partitions(em: EntityManager): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    em,
    "select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'device_events' order by 1",
  );
  return rows.map((r) => r.name);
}

describe('the event tables', () => {
  let t: IngestTestApp;
  let device: ProvisionedDevice;

  beforeAll(async () => {
    t = await createIngestTestApp({ env: { EVENT_RETENTION_DAYS: '3', TS_MAX_AGE_HOURS: '48', QUARANTINE_MAX_ROWS: '100' } });
    device = await t.provision(await t.factories.newOrgChain(), 'smoke');
  });
  afterAll(async () => {
    await t.close();
  });

  const maintenance = () => t.module.get(EventTableMaintenance);

  if (testDriver() === 'postgresql') {
    it('has daily partitions from the oldest accepted device time to two days ahead once the ingest has started, and a default one', async () => {
      const names = await partitions(t.em());
      for (let day = today - 2 * DAY; day <= today + 2 * DAY; day += DAY) expect(names).toContain(partitionName(day));
      expect(names).toContain('device_events_default');
    });

    it('drops whole partitions older than the retention, and their rows with them', async () => {
      await insertEvent(t.em(), device, 'old-1', new Date(today - DAY + 60_000));
      await insertEvent(t.em(), device, 'keep-1', new Date(today + 3_600_000));
      // Three retention days after "today + 3": everything before today is gone, a day at a time.
      const report = await maintenance().run(new Date(today + 3 * DAY + 3_600_000));
      expect(report.dropped).toEqual([partitionName(today - 2 * DAY), partitionName(today - DAY)]);
      expect(await partitions(t.em())).not.toContain(partitionName(today - DAY));
      expect(await msgIds(t.em(), device)).toEqual(['keep-1']);
    });

    it('moves rows that landed in the default partition into the day\'s partition when it is created', async () => {
      const later = today + 6 * DAY;
      await insertEvent(t.em(), device, 'stray-1', new Date(later + 3_600_000));
      expect(await partitions(t.em())).not.toContain(partitionName(later));
      await maintenance().run(new Date(later - 2 * DAY + 3_600_000));
      const [row] = await queryRows<{ part: string }>(t.em(), "select tableoid::regclass::text as part from device_events where msg_id = 'stray-1'");
      expect(row.part).toBe(partitionName(later));
    });
  } else {
    it('deletes rows older than the retention', async () => {
      await insertEvent(t.em(), device, 'old-1', new Date(today - 10 * DAY));
      await insertEvent(t.em(), device, 'new-1', new Date(today));
      const report = await maintenance().run(new Date());
      expect(report.deleted).toBe(1);
      expect(await msgIds(t.em(), device)).toEqual(['new-1']);
    });
  }

  it('keeps the quarantine to its bound, dropping the oldest rows first', async () => {
    const em = t.em();
    for (let i = 0; i < 130; i += 1) {
      em.create(IngestRejection, { receivedAt: new Date(Date.now() - (130 - i) * 1000), reason: 'not_json', detail: `row ${i}`, topic: 'sc/v1/x/y/telemetry' });
    }
    await em.flush();
    expect(await maintenance().trimQuarantine()).toBe(30);
    const left = await t.em().find(IngestRejection, {}, { orderBy: { receivedAt: 'asc' } });
    expect(left).toHaveLength(100);
    expect(left[0].detail).toBe('row 30');
  });
});
