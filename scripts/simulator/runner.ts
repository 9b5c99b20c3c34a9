import { connect, IClientOptions, MqttClient } from 'mqtt';
import { deviceTopic, DEVICE_QOS, STATUS_OFFLINE, STATUS_ONLINE } from '@sc/messaging/mqtt/topics';
import { PlannedDevice } from './fleet';
import { inPool } from './provision';
import { Stats } from './stats';
import { Traffic } from './traffic';

/**
 * One mqtt.js client per device, as the real fleet would connect: username and client id are
 * the device code, the password its secret, the last will a retained `offline` on its status
 * topic. Publishes the traffic at the total rate asked, bounded by a cap on unacknowledged
 * messages, and stops by itself at the end of the duration (or on SIGINT).
 */

export interface SimulatedDevice {
  plan: PlannedDevice;
  /** Registry id, to renew the credential; absent with --no-auth. */
  id?: string;
  /** Absent with --no-auth: the broker lets anonymous clients in. */
  secret?: string;
}

export interface RunOptions {
  mqttUrl: string;
  rate: number;
  durationSeconds: number;
  connectConcurrency: number;
  maxInflight: number;
  makeTraffic: (devices: PlannedDevice[], start: number) => Traffic;
  /** A device the broker refused as unauthorised: a new secret to retry once with, or nothing. */
  renewSecret?: (device: SimulatedDevice) => Promise<string | undefined>;
  signal: AbortSignal;
  log: (line: string) => void;
}

const CONNECT_TIMEOUT_MS = 15_000;
const DRAIN_TIMEOUT_MS = 15_000;
const END_TIMEOUT_MS = 5_000;
const TICK_MS = 20;
/** CONNACK codes for a refused username/password: 4, 5 in MQTT 3.1.1; 134, 135 in MQTT 5. */
const AUTH_REFUSED = new Set([4, 5, 134, 135]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function clientOptions(device: SimulatedDevice): IClientOptions {
  const status = deviceTopic(device.plan.siteId, device.plan.code, 'status');
  return {
    clientId: device.plan.code,
    username: device.plan.code,
    password: device.secret,
    protocolVersion: 4,
    clean: true,
    keepalive: 60,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // No retries while connecting (a refused password would loop); set once connected.
    reconnectPeriod: 0,
    will: { topic: status, payload: Buffer.from(STATUS_OFFLINE), qos: DEVICE_QOS, retain: true },
  };
}

function connectOnce(url: string, device: SimulatedDevice): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = connect(url, clientOptions(device));
    const fail = (error: Error) => {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end(true);
      reject(error);
    };
    client.once('connect', () => {
      client.removeListener('error', fail);
      client.removeListener('close', closed);
      client.options.reconnectPeriod = 2_000;
      // A dropped connection is retried by mqtt.js; its errors are counted, not thrown.
      client.on('error', () => undefined);
      resolve(client);
    });
    const closed = () => fail(new Error('connection closed before CONNACK'));
    client.once('error', fail);
    client.once('close', closed);
  });
}

async function connectDevice(options: RunOptions, device: SimulatedDevice, stats: Stats): Promise<MqttClient | undefined> {
  try {
    return await connectOnce(options.mqttUrl, device);
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number' && AUTH_REFUSED.has(code) && options.renewSecret) {
      const secret = await options.renewSecret(device).catch(() => undefined);
      if (secret) {
        try {
          return await connectOnce(options.mqttUrl, { ...device, secret });
        } catch (retry: unknown) {
          stats.connectFailed(retry);
          return undefined;
        }
      }
    }
    stats.connectFailed(error);
    return undefined;
  }
}

function publish(client: MqttClient, topic: string, payload: string, retain: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    client.publish(topic, payload, { qos: DEVICE_QOS, retain }, (error) => (error ? reject(error) : resolve()));
  });
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runSimulation(devices: readonly SimulatedDevice[], options: RunOptions): Promise<Stats> {
  const stats = new Stats(devices.length);
  const clients = new Map<string, MqttClient>();
  const ticker = setInterval(() => options.log(stats.connectLine()), 1000);
  try {
    await inPool(devices, options.connectConcurrency, async (device) => {
      if (options.signal.aborted) return;
      const client = await connectDevice(options, device, stats);
      if (!client) return;
      clients.set(device.plan.code, client);
      stats.connected += 1;
      await publish(client, deviceTopic(device.plan.siteId, device.plan.code, 'status'), STATUS_ONLINE, true).then(
        () => stats.statusSent++,
        () => undefined,
      );
    });
  } finally {
    clearInterval(ticker);
  }
  options.log(stats.connectLine());
  const online = devices.filter((d) => clients.has(d.plan.code));
  if (online.length === 0) throw new Error(`no device could connect to ${options.mqttUrl}: ${stats.connectFailureText()}`);

  await publishTraffic(online, clients, stats, options);
  await shutDown(online, clients, stats, options);
  return stats;
}

async function publishTraffic(online: SimulatedDevice[], clients: Map<string, MqttClient>, stats: Stats, options: RunOptions): Promise<void> {
  const start = Date.now();
  const end = start + options.durationSeconds * 1000;
  const traffic = options.makeTraffic(online.map((d) => d.plan), start);
  stats.start(start);
  let nextLine = start + 1000;
  for (let now = Date.now(); now < end && !options.signal.aborted; now = Date.now()) {
    const target = Math.floor(((now - start) / 1000) * options.rate);
    while (stats.sent < target && stats.inFlight() < options.maxInflight) {
      const message = traffic.next(now);
      if (!message) break;
      const client = clients.get(message.device.code);
      if (!client) continue;
      const sentAt = Date.now();
      stats.recordSent(message);
      client.publish(message.topic, message.payload, { qos: DEVICE_QOS }, (error) => stats.recordAck(sentAt, error));
    }
    if (now >= nextLine) {
      options.log(stats.progressLine(now));
      nextLine += 1000;
    }
    await sleep(TICK_MS);
  }
  stats.stop(Date.now());
}

async function shutDown(online: SimulatedDevice[], clients: Map<string, MqttClient>, stats: Stats, options: RunOptions): Promise<void> {
  // Bounded wait for the last acknowledgements: what is still unacknowledged is reported.
  const drainUntil = Date.now() + DRAIN_TIMEOUT_MS;
  while (stats.inFlight() > 0 && Date.now() < drainUntil) await sleep(50);
  options.log(stats.progressLine(Date.now()));
  await inPool(online, 100, async (device) => {
    const client = clients.get(device.plan.code);
    if (!client) return;
    // A clean disconnect does not fire the will: say offline first, as a real device shutting down does.
    const sent = await withTimeout(publish(client, deviceTopic(device.plan.siteId, device.plan.code, 'status'), STATUS_OFFLINE, true).then(() => true, () => false), END_TIMEOUT_MS);
    if (sent) stats.statusSent += 1;
    const ended = await withTimeout(client.endAsync().then(() => true, () => false), END_TIMEOUT_MS);
    if (!ended) client.end(true);
  });
}
