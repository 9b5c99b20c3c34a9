import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EntityManager } from '@mikro-orm/knex';
import { connectAsync, MqttClient } from 'mqtt';
import request from 'supertest';
import { allInOneEnvSchema } from '@sc/config';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Building } from '@sc/core/org/entities/building.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import { deviceTopic } from '@sc/messaging';
import { PlatformModule } from '@sc/platform';
import { createTestDatabase, Factories, OrgChain, TestDatabase } from '@sc/testing';
import { freePort, waitFor } from '@sc/testing/wait';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureHttpApp } from '../../apps/api/src/http/configure-http-app';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { TEST_ADMIN } from '../support/test-app';

export interface AlertDevice {
  id: string;
  code: string;
  type: string;
  siteId: string;
  secret: string;
}

/**
 * The API and the ingest (embedded broker, with the alert engine it ships with) in one app, as
 * the all-in-one runs them, on a database of the driver under test. A database handed in (a
 * restart on the same data) is left for its owner to drop.
 */
export interface AlertsApp {
  app: INestApplication;
  db: TestDatabase;
  port: number;
  http: () => ReturnType<typeof request>;
  em: () => EntityManager;
  factories: Factories;
  login(username: string, password: string): Promise<string>;
  adminAuth(): Promise<string>;
  /** A device written straight to the registry with a known secret; by default in the chain's compound and grid. */
  provision(chain: OrgChain, type: string, placement?: { grid?: boolean; building?: boolean }): Promise<AlertDevice>;
  /** A connected MQTT client of the device (closed with the app). */
  connect(device: AlertDevice): Promise<MqttClient>;
  close(): Promise<void>;
}

let serial = 0;

export async function startAlertsApp(options: { db?: TestDatabase } = {}): Promise<AlertsApp> {
  const ownDb = options.db === undefined;
  const db = options.db ?? (await createTestDatabase());
  const port = await freePort();
  const env = {
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JWT_SECRET: 'test-jwt-secret-of-at-least-thirty-two-chars',
    PSEUDONYM_KEY: 'test-pseudonym-key-of-at-least-thirty-two-chars',
    MQTT_EMBEDDED_PORT: String(port),
    // The tests drive the presence sweeper themselves.
    PRESENCE_SWEEP_SECONDS: '3600',
    ...db.env,
  };
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forApp({ name: 'alerts-test', schema: allInOneEnvSchema, env }), ApiModule, IngestModule],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    configureHttpApp(app, { bodyLimit: '10mb' });
    await app.init();
  } catch (error: unknown) {
    await app?.close().catch(() => undefined);
    if (ownDb) await db.drop();
    throw error;
  }
  const nest = app;
  const server = nest.getHttpServer();
  const em = () => nest.get(EntityManager).fork();
  const clients: MqttClient[] = [];
  const login = async (username: string, password: string): Promise<string> => {
    const res = await request(server).post('/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return `Bearer ${(res.body as { accessToken: string }).accessToken}`;
  };
  let adminHeader: string | undefined;
  return {
    app: nest,
    db,
    port,
    http: () => request(server),
    em,
    factories: new Factories(em),
    login,
    adminAuth: async () => (adminHeader ??= await login(TEST_ADMIN.username, TEST_ADMIN.password)),
    provision: async (chain, type, placement = {}) => {
      const secret = generateSecret('scd');
      const fork = em();
      const device = fork.create(Device, {
        code: `al-${process.pid}-${++serial}-${Date.now().toString(36)}`,
        type,
        community: fork.getReference(OrgUnit, chain.community.id),
        compound: fork.getReference(Compound, chain.compound.id),
        grid: placement.grid === false ? undefined : fork.getReference(OrgUnit, chain.grid.id),
        building: placement.building ? fork.getReference(Building, chain.building.id) : undefined,
        credentialHash: hashToken(secret),
      });
      await fork.flush();
      return { id: device.id, code: device.code, type, siteId: chain.community.code, secret };
    },
    connect: async (device) => {
      const client = await connectAsync(`mqtt://127.0.0.1:${port}`, {
        protocolVersion: 4,
        clientId: device.code,
        username: device.code,
        password: device.secret,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await nest.close();
      if (ownDb) await db.drop();
    },
  };
}

let msgSerial = 0;

/** Publishes a device event (QoS 1: resolved once the ingest has stored it and the engine has run). */
export async function publishEvent(client: MqttClient, device: AlertDevice, type: string, ts = new Date(), data: Record<string, unknown> = {}): Promise<string> {
  const msgId = `e-${++msgSerial}-${Date.now().toString(36)}`;
  await client.publishAsync(deviceTopic(device.siteId, device.code, 'event'), JSON.stringify({ msgId, ts: ts.getTime(), type, data }), { qos: 1 });
  return msgId;
}

export async function publishTelemetry(client: MqttClient, device: AlertDevice, values: Record<string, number>, ts = new Date()): Promise<string> {
  const msgId = `t-${++msgSerial}-${Date.now().toString(36)}`;
  await client.publishAsync(deviceTopic(device.siteId, device.code, 'telemetry'), JSON.stringify({ msgId, ts: ts.getTime(), values }), { qos: 1 });
  return msgId;
}

export async function publishStatus(client: MqttClient, device: AlertDevice, status: 'online' | 'offline'): Promise<void> {
  await client.publishAsync(deviceTopic(device.siteId, device.code, 'status'), status, { qos: 1, retain: true });
}

/** Every alert of a device, oldest first. */
export async function alertsOf(em: EntityManager, deviceId: string, alertType?: string): Promise<Alert[]> {
  return em.find(Alert, { device: deviceId, ...(alertType ? { alertType } : {}) }, { orderBy: { createdAt: 'asc', raisedAt: 'asc' } });
}

/** Waits until the device has `n` alerts (of the type), bounded. */
export async function waitForAlerts(t: AlertsApp, deviceId: string, n: number, alertType?: string): Promise<Alert[]> {
  return waitFor(
    `${n} alert(s) ${alertType ?? ''} of device ${deviceId}`,
    async () => {
      const rows = await alertsOf(t.em(), deviceId, alertType);
      return rows.length >= n ? rows : undefined;
    },
    { withinMs: 10_000, describe: async () => JSON.stringify((await alertsOf(t.em(), deviceId)).map((a) => [a.alertType, a.status, a.count])) },
  );
}

/** Route jobs in the outbox for these alerts. */
export async function routeJobsOf(em: EntityManager, alertIds: readonly string[]): Promise<string[]> {
  const rows = await em.find(OutboxEntry, {}, { orderBy: { seq: 'asc' } });
  return rows
    .map((r) => r.intent)
    .filter((i) => i.op === 'add' && i.name === 'alert.route' && alertIds.includes((i.data as { alertId: string }).alertId))
    .map((i) => i.jobId);
}
