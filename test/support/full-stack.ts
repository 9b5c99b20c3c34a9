import { randomBytes } from 'node:crypto';
import { connectAsync, MqttClient } from 'mqtt';
import { allInOneEnvSchema } from '@sc/config';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Account } from '@sc/core/identity/entities/account.entity';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { Role } from '@sc/core/identity/roles';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import { deviceTopic } from '@sc/messaging';
import { dropPrefixKeys, OrgChain, WebhookReceiver } from '@sc/testing';
import { freePort } from '@sc/testing/wait';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestApp, TestApp } from './test-app';

export interface StackDevice {
  id: string;
  code: string;
  type: string;
  siteId: string;
  secret: string;
}

/** A community with its grid worker (roster row + login account) and property staff, as routing sees them. */
export interface StackCommunity {
  chain: OrgChain;
  gridWorker: GridWorker;
  gridWorkerLogin: { username: string; password: string };
  companyStaffLogin: { username: string; password: string };
}

export interface FullStack {
  t: TestApp;
  receiver: WebhookReceiver;
  mqttPort: number;
  queuePrefix: string;
  community(): Promise<StackCommunity>;
  device(chain: OrgChain, type: string): Promise<StackDevice>;
  connect(device: StackDevice): Promise<MqttClient>;
  /** Publishes a device event (QoS 1: resolves when the ingest stored it) and returns its msgId. */
  publishEvent(client: MqttClient, device: StackDevice, type: string, data?: Record<string, unknown>): Promise<string>;
  /** A signed webhook target through the API; the receiver verifies with its secret on `path`. */
  webhook(ownerKind: 'grid_worker' | 'company' | 'unit' | 'account', ownerId: string, path: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole service in one process as the all-in-one runs it — API, ingest (embedded broker on a
 * free port), worker (BullMQ on the real Redis, under a queue prefix of its own) — on a fresh
 * database of the driver under test, with a local receiver standing in for the people notified.
 */
export async function createFullStack(options: { env?: Record<string, string> } = {}): Promise<FullStack> {
  const mqttPort = await freePort();
  const queuePrefix = `{t${randomBytes(5).toString('hex')}}`;
  const receiver = await new WebhookReceiver().start();
  let t: TestApp;
  try {
    t = await createTestApp({
      name: 'full-stack-test',
      schema: allInOneEnvSchema,
      imports: [IngestModule, WorkerModule],
      env: {
        MQTT_EMBEDDED_PORT: String(mqttPort),
        QUEUE_PREFIX: queuePrefix,
        PRESENCE_SWEEP_SECONDS: '3600',
        DELIVERY_BACKOFF_MS: '200',
        ...options.env,
      },
    });
  } catch (error: unknown) {
    await receiver.stop();
    throw error;
  }
  const clients: MqttClient[] = [];
  let serial = 0;

  const stack: FullStack = {
    t,
    receiver,
    mqttPort,
    queuePrefix,
    community: async () => {
      const chain = await t.factories.newOrgChain();
      const em = t.em();
      const gridWorker = em.create(GridWorker, { code: `gw-${randomBytes(4).toString('hex')}`, name: '网格员 张三', grid: em.getReference(OrgUnit, chain.grid.id) });
      await em.flush();
      const gw = await t.factories.newAccount(Role.GridWorker, { orgUnit: chain.grid });
      await t.em().nativeUpdate(Account, { id: gw.account.id }, { gridWorker: gridWorker.id });
      const staff = await t.factories.newAccount(Role.PropertyStaff, { company: chain.company });
      return { chain, gridWorker, gridWorkerLogin: gw, companyStaffLogin: staff };
    },
    device: async (chain, type) => {
      const secret = generateSecret('scd');
      const em = t.em();
      const device = em.create(Device, {
        code: `fs-${process.pid}-${++serial}-${randomBytes(3).toString('hex')}`,
        type,
        location: '2单元3楼楼道',
        community: em.getReference(OrgUnit, chain.community.id),
        compound: em.getReference(Compound, chain.compound.id),
        grid: em.getReference(OrgUnit, chain.grid.id),
        credentialHash: hashToken(secret),
      });
      await em.flush();
      return { id: device.id, code: device.code, type, siteId: chain.community.code, secret };
    },
    connect: async (device) => {
      const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
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
    publishEvent: async (client, device, type, data = {}) => {
      const msgId = `m-${randomBytes(6).toString('hex')}`;
      await client.publishAsync(deviceTopic(device.siteId, device.code, 'event'), JSON.stringify({ msgId, ts: new Date().toISOString(), type, data }), { qos: 1 });
      return msgId;
    },
    webhook: async (ownerKind, ownerId, path) => {
      const res = await t
        .http()
        .post('/delivery-targets')
        .set('Authorization', await t.adminAuth())
        .send({ ownerKind, ownerId, channel: 'webhook', name: `receiver ${path}`, url: receiver.url(path) });
      if (res.status !== 201) throw new Error(`creating a webhook target failed: ${res.status} ${JSON.stringify(res.body)}`);
      const body = res.body as { id: string; secret: string };
      receiver.setSecret(path, body.secret);
      return body.id;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      const redisUrl = options.env?.REDIS_URL ?? 'redis://127.0.0.1:6379';
      await t.close();
      await receiver.stop();
      await dropPrefixKeys(redisUrl, queuePrefix).catch(() => undefined);
    },
  };
  return stack;
}

