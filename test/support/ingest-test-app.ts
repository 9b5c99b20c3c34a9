import { Test, TestingModule } from '@nestjs/testing';
import { EntityManager } from '@mikro-orm/knex';
import { connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { ingestEnvSchema } from '@sc/config';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import { PlatformModule } from '@sc/platform';
import { createTestDatabase, Factories, OrgChain, TestDatabase } from '@sc/testing';
import { freePort } from '@sc/testing/wait';
import { IngestModule } from '../../apps/ingest/src/ingest.module';

export interface ProvisionedDevice {
  id: string;
  code: string;
  type: string;
  /** The community code: the {siteId} of its topics. */
  siteId: string;
  secret: string;
}

export interface IngestTestApp {
  module: TestingModule;
  db: TestDatabase;
  /** Port of the embedded broker (when MQTT_URL is not given). */
  port: number;
  em: () => EntityManager;
  factories: Factories;
  /** A device written straight to the registry, with a known MQTT secret. */
  provision(chain: OrgChain, type: string, fields?: Partial<Pick<Device, 'code' | 'provisionedAt' | 'enabled'>>): Promise<ProvisionedDevice>;
  /** An MQTT 3.1.1 client of the embedded broker logged in as the device; the test ends it. */
  connectDevice(device: Pick<ProvisionedDevice, 'code' | 'secret'>, options?: IClientOptions): Promise<MqttClient>;
  close(): Promise<void>;
}

let serial = 0;

/**
 * The ingest module as it ships (IngestModule, with its lifecycle: partitions, source, timers)
 * on a fresh database of the driver under test and the real Redis; by default with the
 * embedded broker on a free port.
 */
export async function createIngestTestApp(options: { env?: Record<string, string>; db?: TestDatabase } = {}): Promise<IngestTestApp> {
  // A database handed in (a restart on the same data) stays: its owner drops it.
  const ownDb = options.db === undefined;
  const db = options.db ?? (await createTestDatabase());
  const port = await freePort();
  const env = {
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    PSEUDONYM_KEY: 'test-pseudonym-key-of-at-least-thirty-two-chars',
    MQTT_EMBEDDED_PORT: String(port),
    // The tests drive the sweeper themselves.
    PRESENCE_SWEEP_SECONDS: '3600',
    ...db.env,
    ...options.env,
  };
  let module: TestingModule | undefined;
  try {
    module = await Test.createTestingModule({
      imports: [PlatformModule.forApp({ name: 'ingest-test', schema: ingestEnvSchema, env }), IngestModule],
    }).compile();
    module.enableShutdownHooks();
    await module.init();
  } catch (error: unknown) {
    await module?.close().catch(() => undefined);
    if (ownDb) await db.drop();
    throw error;
  }
  const app = module;
  const em = () => app.get(EntityManager).fork();
  const clients: MqttClient[] = [];
  return {
    module: app,
    db,
    port,
    em,
    factories: new Factories(em),
    provision: async (chain, type, fields = {}) => {
      const secret = generateSecret('scd');
      const fork = em();
      const device = fork.create(Device, {
        code: fields.code ?? `dev-${process.pid}-${++serial}-${Date.now().toString(36)}`,
        type,
        community: fork.getReference(OrgUnit, chain.community.id),
        compound: fork.getReference(Compound, chain.compound.id),
        grid: fork.getReference(OrgUnit, chain.grid.id),
        credentialHash: hashToken(secret),
        ...(fields.provisionedAt ? { provisionedAt: fields.provisionedAt } : {}),
        ...(fields.enabled !== undefined ? { enabled: fields.enabled } : {}),
      });
      await fork.flush();
      return { id: device.id, code: device.code, type, siteId: chain.community.code, secret };
    },
    connectDevice: async (device, clientOptions = {}) => {
      const client = await connectAsync(`mqtt://127.0.0.1:${port}`, {
        // Aedes 1 speaks MQTT 3.1.1 (its MQTT 5 support is unreleased).
        protocolVersion: 4,
        clientId: device.code,
        username: device.code,
        password: device.secret,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
        ...clientOptions,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await app.close();
      if (ownDb) await db.drop();
    },
  };
}

/** Publishes and expects the broker to refuse: the connection closes (bounded wait), no PUBACK. */
export async function publishRefused(client: MqttClient, topic: string, payload: string | Buffer, withinMs = 5_000): Promise<void> {
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  const acked = client.publishAsync(topic, payload, { qos: 1 }).then(
    () => 'acknowledged',
    () => 'failed',
  );
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    closed.then(() => 'closed'),
    acked,
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve('no answer'), withinMs))),
  ]);
  clearTimeout(timer);
  await client.endAsync(true).catch(() => undefined);
  if (outcome !== 'closed') throw new Error(`expected the broker to refuse the publish on ${topic}, got: ${outcome}`);
}
