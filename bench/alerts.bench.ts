/**
 * npm run bench:alerts — issue 4. The service as docker-compose runs it (api, ingest and worker
 * as separate compiled processes) on a scratch PostgreSQL database, the shared Redis under a
 * queue prefix of its own, and a private Mosquitto with the project's configuration. Devices
 * publish alarm events over MQTT at --alerts-per-second (each from a different device, so each
 * is a new alert and a new work order) over background telemetry at --telemetry-per-second; a
 * local HTTP receiver stands in for the grid workers and property companies and verifies every
 * signature. Measured per alert: event published (the payload's ts, taken at publish) → every
 * routed recipient's signed webhook received. Prints a table, then one JSON line (the last).
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { INGEST_SERVICE_USER, PrivateMosquitto, TEST_PUBLISHER_USER } from '@sc/testing/mosquitto';
import { freePort, waitFor } from '@sc/testing/wait';
import { dropPrefixKeys, WebhookReceiver } from '@sc/testing';
import { PublisherPool } from './ingest/load';
import { percentile, printTable, progress, round } from './ingest/report';
import { chooseRunner } from './ingest/runner';
import { ScratchDatabase } from './ingest/scratch-db';
import { parseAlertOptions } from './alerts/options';
import { commandCpuSeconds, machineBusySeconds, ServiceProcess } from './alerts/service-process';
import { stageBreakdown, telemetryLag } from './alerts/stages';
import { AlarmDevice, provisionWorld } from './alerts/world';

const ADMIN_PASSWORD = 'bench-admin-password-123';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Published {
  device: AlarmDevice;
  at: number;
}

interface Summary {
  alerts_per_s: number;
  p50_ms: number;
  p99_ms: number;
  lost: number;
  duplicates: number;
}

async function main(): Promise<void> {
  const options = parseAlertOptions(process.argv.slice(2));
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const deadline = setTimeout(() => {
    progress(`run exceeded ${options.timeoutSeconds} s; cleaning up`);
    void runCleanups(cleanups).finally(() => process.exit(2));
  }, options.timeoutSeconds * 1000);
  process.once('SIGINT', () => void runCleanups(cleanups).finally(() => process.exit(130)));

  try {
    const reference = machineReference();
    progress('starting Mosquitto with deploy/mosquitto/mosquitto.conf');
    const broker = await PrivateMosquitto.start();
    cleanups.push(() => broker.stop());
    const db = await ScratchDatabase.create();
    cleanups.push(() => db.drop());
    const alarmCount = Math.ceil(options.alertsPerSecond * options.durationSeconds);
    const warmupCount = Math.ceil(options.alertsPerSecond * options.warmupSeconds);
    progress(`scratch database ${db.name}: migrating, provisioning ${options.communities} communities, ${alarmCount} alarm and ${options.telemetryDevices} telemetry devices`);
    const world = await provisionWorld(db.url, db.dataDir, { communities: options.communities, alarmDevices: alarmCount + warmupCount, telemetryDevices: options.telemetryDevices });

    progress('compiling the service (tsc + tsc-alias into a private folder)');
    const chosen = chooseRunner(options.runner);
    cleanups.push(() => chosen.cleanup());
    if (chosen.runner.kind !== 'dist') throw new Error('the alerts benchmark runs compiled apps');
    const distDir = chosen.runner.distDir;

    const queuePrefix = `{bench${randomBytes(4).toString('hex')}}`;
    cleanups.push(() => dropPrefixKeys(REDIS_URL, queuePrefix));
    const apiPort = await freePort();
    const common = {
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      PSEUDONYM_KEY: 'bench-pseudonym-key-of-at-least-thirty-two-chars',
      LOG_LEVEL: 'warn',
    };
    const services = [
      new ServiceProcess('api', distDir, { ...common, LOG_LEVEL: 'info', PORT: String(apiPort), HOST: '127.0.0.1', ADMIN_PASSWORD, JWT_SECRET: 'bench-jwt-secret-of-at-least-thirty-two-chars' }),
      new ServiceProcess(
        'ingest',
        distDir,
        {
          ...common,
          LOG_LEVEL: 'info',
          MQTT_URL: broker.url,
          MQTT_USERNAME: INGEST_SERVICE_USER.username,
          MQTT_PASSWORD: INGEST_SERVICE_USER.password,
          INGEST_INSTANCE_ID: 'bench',
        },
        ['--max-old-space-size=128', ...(process.env.BENCH_INGEST_NODE_ARGS ?? '').split(' ').filter(Boolean)],
        /subscribed to the device topics/,
      ),
      new ServiceProcess('worker', distDir, { ...common, LOG_LEVEL: 'info' }, (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean)),
    ];
    for (const service of services) {
      cleanups.push(() => service.stop());
      service.start();
    }
    for (const service of services) await service.waitReady(90_000);
    progress('api, ingest and worker are up');

    const receiver = await new WebhookReceiver().start();
    cleanups.push(() => receiver.stop());
    const api = `http://127.0.0.1:${apiPort}`;
    const token = await login(api);
    for (const community of world.communities) {
      for (const [kind, ownerId, path] of [
        ['grid_worker', community.gridWorkerId, `/gw/${community.index}`],
        ['company', community.companyId, `/pc/${community.index}`],
      ] as const) {
        const target = await post<{ secret: string }>(api, token, '/delivery-targets', {
          ownerKind: kind,
          ownerId,
          channel: 'webhook',
          name: `bench ${path}`,
          url: receiver.url(path),
          ratePerMinute: 6000,
        });
        receiver.setSecret(path, target.secret);
      }
    }

    // msgId → what was published, and when; then every 2xx delivery by alert and recipient.
    const published = new Map<string, Published>();
    const received = new Map<string, Map<string, number[]>>();
    const deliveryIds = new Map<string, number>();
    let badSignatures = 0;
    receiver.onRequest((r) => {
      if (typeof r.answered !== 'number' || r.answered >= 300) {
        if (r.verdict && !r.verdict.ok) badSignatures += 1;
        return;
      }
      const body = r.body as { event?: string; alert?: { sourceMsgId?: string } | null };
      const msgId = body.alert?.sourceMsgId;
      if (body.event !== 'created' || !msgId) return;
      if (r.deliveryId) deliveryIds.set(r.deliveryId, (deliveryIds.get(r.deliveryId) ?? 0) + 1);
      const recipient = r.path.startsWith('/gw/') ? 'grid_worker' : 'company';
      const byRecipient = received.get(msgId) ?? new Map<string, number[]>();
      byRecipient.set(recipient, [...(byRecipient.get(recipient) ?? []), r.receivedAt]);
      received.set(msgId, byRecipient);
    });

    const alarmPool = await PublisherPool.connect(broker.url, TEST_PUBLISHER_USER, 4, 'sc-bench-alarm');
    cleanups.push(() => alarmPool.close());
    const telemetryPool = await PublisherPool.connect(broker.url, TEST_PUBLISHER_USER, 8, 'sc-bench-tel');
    cleanups.push(() => telemetryPool.close());
    const runId = randomBytes(3).toString('hex');
    const durationMs = options.durationSeconds * 1000;
    const telemetry = (prefix: string) => (i: number) => {
      const device = world.telemetryDevices[i % world.telemetryDevices.length];
      return { topic: device.topic, payload: `{"msgId":"${prefix}-${runId}-${i}","ts":${Date.now()},"values":${device.values}}` };
    };
    const complete = (msgId: string, p: Published) => p.device.kind.recipients.every((r) => (received.get(msgId)?.get(r)?.length ?? 0) > 0);
    /** How long the warm-up's own alarms took to be delivered once its load stopped (undefined: no warm-up). */
    let warmupDrainSeconds: number | undefined;
    if (options.warmupSeconds > 0) {
      // The same load first, on devices of its own and not measured: a service that has run for a while is what is measured.
      progress(`warm-up: the same load for ${options.warmupSeconds} s, not measured`);
      const warmup = new Map<string, Published>();
      await Promise.all([
        alarmPool.steady(options.alertsPerSecond, options.warmupSeconds * 1000, (i) => {
          const device = world.alarmDevices[alarmCount + i];
          const msgId = `w-${runId}-${i}`;
          warmup.set(msgId, { device, at: Date.now() });
          return { topic: device.topic, payload: JSON.stringify({ msgId, ts: new Date().toISOString(), type: device.kind.eventType, data: {} }) };
        }),
        options.telemetryPerSecond > 0 ? telemetryPool.steady(options.telemetryPerSecond, options.warmupSeconds * 1000, telemetry('tw')) : undefined,
      ]);
      // Its backlog (a cold process compiles its hot code in the first tens of seconds) is drained
      // before the measured load starts, so the measured minute starts from a warm, idle service
      // instead of inheriting the warm-up's queue; the table says how long that took.
      const drainStarted = Date.now();
      await waitFor('every warm-up alert delivered', () => ([...warmup].every(([msgId, p]) => complete(msgId, p)) ? true : undefined), {
        withinMs: options.drainSeconds * 1000,
        everyMs: 250,
      }).catch(() => progress(`the warm-up's alerts were not all delivered within ${options.drainSeconds} s; measuring anyway`));
      warmupDrainSeconds = (Date.now() - drainStarted) / 1000;
    }
    progress(`load: ${options.alertsPerSecond} alarms/s over ${options.telemetryPerSecond} telemetry msgs/s for ${options.durationSeconds} s`);
    const loadStarted = Date.now();
    const SERVERS = ['postgres', 'mosquitto', 'redis-server'];
    const cpuBefore = { services: services.map((s) => s.cpuSeconds()), servers: SERVERS.map(commandCpuSeconds), bench: process.cpuUsage(), machine: machineBusySeconds() };
    const [alarmLoad, telemetryLoad] = await Promise.all([
      alarmPool.steady(options.alertsPerSecond, durationMs, (i) => {
        const device = world.alarmDevices[i];
        const msgId = `a-${runId}-${i}`;
        const at = Date.now();
        published.set(msgId, { device, at });
        return { topic: device.topic, payload: JSON.stringify({ msgId, ts: new Date(at).toISOString(), type: device.kind.eventType, data: {} }) };
      }),
      options.telemetryPerSecond > 0
        ? telemetryPool.steady(options.telemetryPerSecond, durationMs, telemetry('t'))
        : Promise.resolve({ acked: 0, startedAt: loadStarted, endedAt: loadStarted, ackLatencies: [] }),
    ]);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const benchCpu = process.cpuUsage(cpuBefore.bench);
    const cores = {
      services: services.map((s, i) => (s.cpuSeconds() - cpuBefore.services[i]) / loadSeconds),
      servers: SERVERS.map((name, i) => (commandCpuSeconds(name) - cpuBefore.servers[i]) / loadSeconds),
      bench: (benchCpu.user + benchCpu.system) / 1e6 / loadSeconds,
      machine: (machineBusySeconds() - cpuBefore.machine) / loadSeconds,
    };
    for (const service of services) service.sampleRss();

    progress(`load done in ${round(loadSeconds, 1)} s; waiting up to ${options.drainSeconds} s for the last deliveries`);
    await waitFor(
      'every alert delivered',
      () => ([...published].every(([msgId, p]) => complete(msgId, p)) ? true : undefined),
      { withinMs: options.drainSeconds * 1000, everyMs: 250 },
    ).catch(() => undefined);
    // The telemetry may still be written after the alarms (they go first in the ingest): how far behind it was.
    const telemetryDeadline = Date.now() + options.drainSeconds * 1000;
    let telemetryStored = await telemetryLag(db.url, `t-${runId}-`);
    while (telemetryStored.stored < telemetryLoad.acked && Date.now() < telemetryDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      telemetryStored = await telemetryLag(db.url, `t-${runId}-`);
    }
    const telemetryDoneSeconds = (Date.now() - loadStarted) / 1000 - loadSeconds;
    for (const service of services) service.sampleRss();

    const latencies: number[] = [];
    const doneAt = new Map<string, number>();
    /** Latencies by the 5-second window they were published in: a tail from one stall shows as one bad window. */
    const windows = new Map<number, number[]>();
    let lost = 0;
    let duplicates = 0;
    let lastDelivery = loadStarted;
    for (const [msgId, p] of published) {
      const byRecipient = received.get(msgId);
      if (!complete(msgId, p)) lost += 1;
      else {
        const done = Math.max(...p.device.kind.recipients.map((r) => Math.min(...byRecipient!.get(r)!)));
        latencies.push(done - p.at);
        doneAt.set(msgId, done);
        const window = Math.floor((p.at - alarmLoad.startedAt) / 5000);
        const inWindow = windows.get(window) ?? [];
        inWindow.push(done - p.at);
        windows.set(window, inWindow);
        lastDelivery = Math.max(lastDelivery, done);
      }
      for (const times of byRecipient?.values() ?? []) duplicates += times.length - 1;
      for (const r of byRecipient?.keys() ?? []) if (!p.device.kind.recipients.includes(r as 'grid_worker' | 'company')) duplicates += 1;
    }
    const stages = await stageBreakdown(db.url, REDIS_URL, queuePrefix, `a-${runId}-`, (msgId) => doneAt.get(msgId));
    const summary: Summary = {
      alerts_per_s: round(published.size / ((Math.max(lastDelivery, alarmLoad.endedAt) - alarmLoad.startedAt) / 1000), 1),
      p50_ms: round(percentile(latencies, 50), 1),
      p99_ms: round(percentile(latencies, 99), 1),
      lost,
      duplicates,
    };
    printTable('bench:alerts — event published → work order stored → signed webhook received', [
      [
        'alarms published',
        `${published.size} (${options.alertsPerSecond}/s offered, broker acked ${alarmLoad.acked}), after ${warmupCount} in a ${options.warmupSeconds} s warm-up` +
          (warmupDrainSeconds === undefined ? '' : ` whose backlog drained in ${round(warmupDrainSeconds, 1)} s before the measured load`),
      ],
      ['telemetry published', `${telemetryLoad.acked} (${round(telemetryLoad.acked / loadSeconds)}/s)`],
      [
        'telemetry stored; published → taken from the broker by the ingest p50 / p99 / max',
        `${telemetryStored.stored} of ${telemetryLoad.acked} within ${round(telemetryDoneSeconds, 1)} s after the load ended; ` +
          `${round(telemetryStored.p50Ms)} / ${round(telemetryStored.p99Ms)} / ${round(telemetryStored.maxMs)} ms`,
      ],
      ['deliveries received (2xx, event created)', String([...received.values()].reduce((n, m) => n + [...m.values()].reduce((k, v) => k + v.length, 0), 0))],
      ['signature failures', String(badSignatures)],
      ['published → work order stored p50 / p99', `${round(percentile(stages.orderStored, 50), 1)} / ${round(percentile(stages.orderStored, 99), 1)} ms (${stages.orderStored.length} orders)`],
      ['published → all webhooks received p50 / p99 / max', `${summary.p50_ms} / ${summary.p99_ms} / ${round(Math.max(...latencies, 0), 1)} ms`],
      [
        'p50 / p99 by 5 s window of publishing',
        [...windows.entries()].sort(([a], [b]) => a - b).map(([, values]) => `${round(percentile(values, 50))}/${round(percentile(values, 99))}`).join(' '),
      ],
      ['by stage (each from the one before; BullMQ job timestamps, first delivery of the order)', ''],
      ...stages.rows,
      ['lost / duplicates', `${lost} / ${duplicates} (duplicate delivery ids: ${[...deliveryIds.values()].filter((n) => n > 1).length})`],
      [
        'CPU during load, cores: api / ingest / worker / bench (publishers, receiver) / postgres / mosquitto / redis / machine',
        [...cores.services, cores.bench, ...cores.servers, cores.machine].map((c) => round(c, 2)).join(' / '),
      ],
      ['peak RSS api / ingest / worker', services.map((s) => `${round(s.peakRssMb)} MB`).join(' / ')],
      ['ran as', 'node dist/apps/{api,ingest,worker}/src/main.js, PostgreSQL, Redis, Mosquitto (project config)'],
      ['machine speed (1e6 sha256 of 32 bytes on one core, before the run; compare runs on other machines by it)', `${reference} ms`],
    ]);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    clearTimeout(deadline);
    await runCleanups(cleanups);
  }
}

/** A fixed piece of CPU work timed on an idle machine, so figures from different machines can be compared. */
function machineReference(): number {
  const input = Buffer.alloc(32, 1);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 1e6; i += 1) createHash('sha256').update(input).digest();
  return Math.round(Number(process.hrtime.bigint() - started) / 1e6);
}

async function login(api: string): Promise<string> {
  const res = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function post<T>(api: string, token: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function runCleanups(cleanups: (() => Promise<unknown> | unknown)[]): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error: unknown) {
      progress(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  cleanups.length = 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
