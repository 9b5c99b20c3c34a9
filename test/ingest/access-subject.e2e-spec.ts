import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { connectAsync } from 'mqtt';
import { ALL_ENTITIES } from '@sc/core/entities';
import { OrgLevel } from '@sc/core/org/org-level';
import { ACCESS_SUBJECT_PURPOSE } from '@sc/core/devices/personal-data';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { pseudonymise } from '@sc/core/shared/pseudonym';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import { buildOrmOptions } from '@sc/database';
import { deviceTopic } from '@sc/messaging';
import { createTestDatabase, Factories, TestDatabase } from '@sc/testing';
import { IngestProcess } from '@sc/testing/ingest-process';
import { freePort } from '@sc/testing/wait';
import { allStoredText, rejections, storedEvents } from './ingest-rows';

const KEY = 'access-test-pseudonym-key-of-at-least-32-chars';
const RAW_CARD = 'CARD-0042-7788-9911';
const RAW_FACE = 'FACE-5f3a9c77e2';

/**
 * The ingest app as it runs (spawned, logging at debug level), fed access-control events:
 * the card number or face id must reach neither a table nor a log line.
 */
describe('access-control subjects', () => {
  let db: TestDatabase;
  let ingest: IngestProcess;
  let orm: MikroORM;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
    ingest = new IngestProcess({
      instanceId: `access-${process.pid}`,
      env: { ...db.env, MQTT_EMBEDDED_PORT: String(port), PSEUDONYM_KEY: KEY, LOG_LEVEL: 'debug' },
      isReadyLine: (line) => line.msg === 'ingest started',
    });
    ingest.start();
    await ingest.waitReady(30_000);
    orm = await MikroORM.init(buildOrmOptions({ url: db.env.DATABASE_URL, dataDir: db.dataDir }, ALL_ENTITIES));
  });
  afterAll(async () => {
    await ingest?.kill('SIGKILL');
    await orm?.close(true);
    await db?.drop();
  });

  const em = () => orm.em.fork() as EntityManager;

  it('stores the pseudonym of a card number or face id, never the raw value, in no table and no log line', async () => {
    const factories = new Factories(em);
    const chain = await factories.newOrgChain(await factories.newUnit(OrgLevel.City));
    const secret = generateSecret('scd');
    const fork = em();
    const device = fork.create(Device, {
      code: `acc-${process.pid}`,
      type: 'access_controller',
      community: fork.getReference(OrgUnit, chain.community.id),
      compound: fork.getReference(Compound, chain.compound.id),
      credentialHash: hashToken(secret),
    });
    await fork.flush();

    const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, clientId: device.code, username: device.code, password: secret, reconnectPeriod: 0 });
    const topic = deviceTopic(chain.community.code, device.code, 'event');
    const ts = Date.now();
    await client.publishAsync(topic, JSON.stringify({ msgId: 'acc-1', ts, type: 'access.granted', data: { subject: RAW_CARD, door: 'east gate' } }), { qos: 1 });
    await client.publishAsync(topic, JSON.stringify({ msgId: 'acc-2', ts, type: 'door.forced', data: { subject: RAW_FACE, cardNo: RAW_CARD } }), { qos: 1 });
    // Refused ones: an unknown event type, and a payload that is not JSON at all.
    await client.publishAsync(topic, JSON.stringify({ msgId: 'acc-3', ts, type: 'access.teleported', data: { subject: RAW_CARD } }), { qos: 1 });
    await client.publishAsync(topic, `{"msgId": "acc-4", "data": {"subject": "${RAW_FACE}"`, { qos: 1 });
    await client.endAsync();

    const stored = await storedEvents(em(), device.id);
    expect(stored.map((e) => e.msgId)).toEqual(['acc-1', 'acc-2']);
    expect(stored[0].payload).toEqual({ subject: pseudonymise(KEY, RAW_CARD, ACCESS_SUBJECT_PURPOSE), door: 'east gate' });
    expect(stored[1].payload.subject).toBe(pseudonymise(KEY, RAW_FACE, ACCESS_SUBJECT_PURPOSE));

    const refused = await rejections(em(), { deviceCode: device.code });
    expect(refused.map((r) => [r.reason, r.payloadExcerpt ?? null])).toEqual([
      ['unknown_event_type', null],
      ['not_json', null],
    ]);

    const tables = await allStoredText(em());
    const logs = `${JSON.stringify(ingest.lines)}\n${ingest.output()}`;
    expect(logs).toMatch(/device message rejected/);
    for (const raw of [RAW_CARD, RAW_FACE]) {
      expect(tables).not.toContain(raw);
      expect(logs).not.toContain(raw);
    }
  });
});
