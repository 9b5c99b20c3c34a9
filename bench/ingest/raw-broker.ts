import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { INGEST_SERVICE_USER, PrivateMosquitto } from '@sc/testing/mosquitto';
import { waitFor } from '@sc/testing/wait';
import { MessageSource, PublisherPool } from './load';

const ROOT = resolve(__dirname, '..', '..');

export interface RawResult {
  messages: number;
  msgsPerSecond: number;
  seconds: number;
  /** Broker PUBACKs per second seen by the publishers (ends before the subscriber has all). */
  publishPerSecond: number;
}

type Report = { ready?: boolean; count?: number; lastAt?: number };

/**
 * Phase (a): publishers → broker → one mqtt.js subscriber (a child process) at QoS 1, same
 * payloads as the pipeline phases. Throughput is from the first publish to the last message
 * received; the broker uses the project's configuration, like the ingest phases.
 */
export async function measureRawBroker(
  broker: PrivateMosquitto,
  pool: PublisherPool,
  total: number,
  window: number,
  source: MessageSource,
  withinMs: number,
): Promise<RawResult> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, 'raw-subscriber.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), MQTT_URL: broker.url, MQTT_USERNAME: INGEST_SERVICE_USER.username, MQTT_PASSWORD: INGEST_SERVICE_USER.password },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const last: Report = {};
  child.on('message', (report: Report) => Object.assign(last, report));
  try {
    await waitFor('the raw subscriber to subscribe', () => {
      if (child.exitCode !== null) throw new Error(`raw subscriber exited (${child.exitCode})`);
      return last.ready ? true : undefined;
    }, { withinMs: 30_000 });
    const load = await pool.fullSpeed(total, source, window);
    const lastAt = await waitFor(
      `the raw subscriber to receive ${total} messages`,
      () => ((last.count ?? 0) >= total ? last.lastAt : undefined),
      { withinMs, describe: () => `received ${last.count ?? 0}` },
    );
    const seconds = ((lastAt ?? load.endedAt) - load.startedAt) / 1000;
    return {
      messages: total,
      seconds,
      msgsPerSecond: total / seconds,
      publishPerSecond: load.acked / ((load.endedAt - load.startedAt) / 1000),
    };
  } finally {
    if (child.connected) child.disconnect();
    const exited = new Promise<void>((ok) => (child.exitCode !== null ? ok() : child.once('exit', () => ok())));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
