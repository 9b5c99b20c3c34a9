/**
 * npm run bench:ingest — issue 3, item 8. On this machine: a private Mosquitto with the
 * project's configuration, a scratch PostgreSQL database (created and dropped here), the real
 * ingest as a child process, and the publishers (RawPublisher: MQTT 3.1.1 over a socket, one write per event-loop turn) in this process. One run measures
 * (a) raw broker pass-through (publishers → broker → one mqtt.js subscriber, QoS 1, same payloads),
 * (b) the pipeline at full speed (publish → stored → PUBACK), (c) a steady load of half (b)'s
 * capacity (publish → stored latency). Prints a table, then one JSON line (the last line).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { INGEST_SERVICE_USER, PrivateMosquitto, TEST_PUBLISHER_USER } from '@sc/testing/mosquitto';
import { IngestProcess } from '@sc/testing/ingest-process';
import { MessageSource, PublisherPool } from './ingest/load';
import { parseOptions } from './ingest/options';
import { fullSpeed, halfLoad, warmUp } from './ingest/pipeline-phases';
import { measureRawBroker } from './ingest/raw-broker';
import { BenchSummary, printSummary, printTable, progress, round } from './ingest/report';
import { chooseRunner } from './ingest/runner';
import { ScratchDatabase } from './ingest/scratch-db';
import { benchDevices, telemetryPayload } from './ingest/telemetry';

const PSEUDONYM_KEY = 'bench-pseudonym-key-of-at-least-thirty-two-chars';

/** First line a tool prints about itself (mosquitto -h exits non-zero, so the exit code is ignored). */
function version(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}`.split('\n')[0].trim() || 'unknown';
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    progress(`run exceeded ${options.timeoutSeconds} s; cleaning up`);
    void runCleanups(cleanups).finally(() => process.exit(2));
  }, options.timeoutSeconds * 1000);
  process.once('SIGINT', () => {
    progress('interrupted; cleaning up');
    void runCleanups(cleanups).finally(() => process.exit(130));
  });

  try {
    progress('starting Mosquitto with deploy/mosquitto/mosquitto.conf');
    const broker = await PrivateMosquitto.start();
    cleanups.push(() => broker.stop());
    const db = await ScratchDatabase.create();
    cleanups.push(() => db.drop());
    const sites = Array.from({ length: options.sites }, (_, i) => `bench-site-${i}`);
    const devices = benchDevices(options.devices, sites, 'bd');
    progress(`scratch database ${db.name}: migrating, provisioning ${options.devices} devices in ${options.sites} communities`);
    await db.provision(sites, devices);
    await db.addStoredAtColumn();

    const pool = await PublisherPool.connect(broker.url, TEST_PUBLISHER_USER, options.connections, 'sc-bench-pub');
    cleanups.push(() => pool.close());
    const source =
      (prefix: string): MessageSource =>
      (i) => {
        const device = devices[i % devices.length];
        return { topic: device.topic, payload: telemetryPayload(device, `${prefix}${i}`, Date.now()) };
      };

    // A short unmeasured pass first, as the pipeline gets its warm-up: JIT, socket buffers.
    await measureRawBroker(broker, pool, Math.min(20_000, Math.ceil(options.messages / 10)), options.window, source('rw-'), 120_000);
    progress(`(a) raw broker: ${options.messages} messages`);
    const raw = await measureRawBroker(broker, pool, options.messages, options.window, source('r-'), 300_000);

    const chosen = chooseRunner(options.runner);
    cleanups.push(() => chosen.cleanup());
    progress(`ingest runs as: ${chosen.description}`);
    const ingest = new IngestProcess({
      instanceId: 'bench',
      runner: chosen.runner,
      nodeArgs: options.nodeArgs,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATABASE_URL: db.url,
        DATA_DIR: db.dataDir,
        MQTT_URL: broker.url,
        MQTT_USERNAME: INGEST_SERVICE_USER.username,
        MQTT_PASSWORD: INGEST_SERVICE_USER.password,
        PSEUDONYM_KEY,
        ...options.ingestEnv,
      },
    });
    cleanups.push(() => ingest.stop());
    ingest.start();
    await ingest.waitReady(60_000);
    const idleRssMb = ingest.currentRssKb() / 1024;
    // Every poll also checks the ingest is alive: a crash must fail the run, not read as loss.
    const tick = () => {
      ingest.sampleRss();
      if (!ingest.running) throw new Error(`the ingest exited during the run\n${ingest.output()}`);
    };
    const sampler = setInterval(() => ingest.sampleRss(), 250);
    cleanups.push(() => clearInterval(sampler));

    const warmCount = Math.min(20_000, Math.ceil(options.messages / 10));
    progress(`warm-up: ${warmCount} messages`);
    const warm = await warmUp(db, pool, warmCount, options.window, source('w-'), tick);

    progress(`(b) pipeline at full speed: ${options.messages} messages`);
    const full = await fullSpeed(db, pool, options.messages, options.window, source('f-'), tick);

    const offered = Math.max(1, Math.round(full.msgsPerSecond / 2));
    progress(`(c) steady ${offered} msg/s for ${options.halfLoadSeconds} s`);
    const half = await halfLoad(db, pool, offered, options.halfLoadSeconds, source('h-'), tick);
    const rssMb = ingest.sampleRss() / 1024;
    // A graceful stop makes the ingest log its last stats window: batches tell the group-commit size.
    await ingest.stop();
    const batches = batchStats(ingest);

    const phases = [warm, full, half];
    const summary: BenchSummary = {
      raw_broker_msgs_per_s: round(raw.msgsPerSecond),
      ingest_msgs_per_s: round(full.msgsPerSecond),
      ratio: round(full.msgsPerSecond / raw.msgsPerSecond, 3),
      p50_ms: round(half.stored.p50, 1),
      p99_ms_half_load: round(half.stored.p99, 1),
      lost: phases.reduce((n, p) => n + p.lost, 0),
      duplicates: phases.reduce((n, p) => n + p.duplicates, 0),
      rss_mb: round(rssMb, 1),
    };
    const settings = Object.entries(options.ingestEnv).map(([k, v]) => `${k}=${v}`).join(' ') || 'defaults (INGEST_CONNECTIONS 16, INGEST_PENDING_PER_CONNECTION 128, INGEST_BATCH_MAX 512, INGEST_BATCH_WAIT_MS 4)';
    printTable('Ingest benchmark', [
      ['machine', `${cpus().length} CPUs; ${version('/usr/sbin/mosquitto', ['-h'])}; ${version('psql', ['--version'])}; node ${process.version}`],
      ['ingest', `${chosen.description}; ${settings}`],
      ['publishers', `${options.connections} publisher connections (RawPublisher, QoS 1, MQTT 3.1.1), up to ${options.window} in flight each; ${options.devices} devices, ${options.sites} sites`],
      ['(a) raw broker', `${round(raw.msgsPerSecond)} msg/s (${raw.messages} in ${round(raw.seconds, 2)} s; broker PUBACKs ${round(raw.publishPerSecond)} msg/s)`],
      ['(b) ingest, full speed', `${round(full.msgsPerSecond)} msg/s (${full.distinct} stored in ${round(full.seconds, 2)} s, first publish → last row stored; publishers done in ${round((full.load.endedAt - full.load.startedAt) / 1000, 2)} s)`],
      ['ratio (b)/(a)', `${summary.ratio}`],
      ['(c) offered load', `${offered} msg/s for ${options.halfLoadSeconds} s (${half.load.acked} messages)`],
      ['(c) publish → stored', `p50 ${round(half.stored.p50, 1)} ms, p99 ${round(half.stored.p99, 1)} ms, max ${round(half.stored.max, 1)} ms (payload ts → row inserted by the committing transaction)`],
      ['(c) publish → broker PUBACK', `p50 ${half.brokerAck.p50} ms, p99 ${half.brokerAck.p99} ms (Mosquitto acknowledges on receipt, not on store)`],
      ['ingest batches', batches ? `${batches.batches} transactions, ${round(batches.messagesPerBatch, 1)} messages per batch on average (from its stats lines)` : 'no stats line logged'],
      ['lost', `${summary.lost} (PUBACKed by the broker, not in device_events; warm-up, (b) and (c))`],
      ['duplicates', `${summary.duplicates} (rows beyond distinct (device_id, msg_id))`],
      ['ingest peak RSS', `${summary.rss_mb} MB (VmHWM of the ingest process; ${round(idleRssMb, 1)} MB right after start)`],
    ]);
    printSummary(summary);
  } finally {
    clearTimeout(deadline);
    if (!timedOut) await runCleanups(cleanups);
  }
}

/** Sums the ingest's stats lines (one a minute and one at stop): committed batches and messages in them. */
function batchStats(ingest: IngestProcess): { batches: number; messagesPerBatch: number } | undefined {
  let batches = 0;
  let messages = 0;
  for (const line of ingest.lines) {
    if (line.msg !== 'ingest stats' || typeof line.batches !== 'number') continue;
    batches += line.batches;
    for (const key of ['stored', 'duplicates', 'applied', 'rejectedTotal']) {
      const value = line[key];
      if (typeof value === 'number') messages += value;
    }
  }
  return batches > 0 ? { batches, messagesPerBatch: messages / batches } : undefined;
}

async function runCleanups(cleanups: (() => Promise<unknown> | unknown)[]): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error: unknown) {
      progress(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
