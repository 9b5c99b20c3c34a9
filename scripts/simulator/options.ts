import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Command-line options of `npm run simulate`, checked once. */

export interface SimulatorOptions {
  url: string;
  mqttUrl: string;
  devices: number;
  rate: number;
  durationSeconds: number;
  heartbeatSeconds: number;
  alarmShare: number;
  accessShare: number;
  adminUsername: string;
  /** Empty with --no-auth, which does not use the HTTP API. */
  adminPassword: string;
  dataDir: string;
  secretsPath: string;
  fixturePath: string;
  prefix: string;
  seed: number;
  noAuth: boolean;
  provisionOnly: boolean;
  /** Write `deviceId:secret` lines here (mode 0600), for a broker with a password file. */
  exportPasswd?: string;
  connectConcurrency: number;
  maxInflight: number;
}

export const USAGE = `npm run simulate -- [options]

Publishes realistic device traffic for the pilot communities of the Huainan fixture
(load it first: npm run fixture:huainan), provisioning the devices through the HTTP API.

  --url URL               service HTTP address (default SC_URL or http://127.0.0.1:3000)
  --mqtt URL              broker the devices connect to (default mqtt://127.0.0.1:1883)
  --devices N             devices in the fleet (default 200)
  --rate N                messages per second, all devices together (default 50)
  --duration S            seconds to publish, then stop (default 60)
  --heartbeat S           compressed heartbeat interval of every device, 5-60 (default 30)
  --alarm-share F         share of messages that are alarms, 0-1 (default 0.01)
  --access-share F        share that are access-control and door events, 0-1 (default 0.05)
  --admin-user NAME       account that provisions (default ADMIN_USERNAME or admin)
  --admin-password PW     its password (default ADMIN_PASSWORD or DATA_DIR/admin-password)
  --data-dir DIR          where simulator-devices.json keeps the device secrets (default DATA_DIR or ./data)
  --prefix P              device code prefix (default sim)
  --fixture FILE          org fixture (default fixtures/huainan.json)
  --seed N                random seed of the traffic (default: the clock)
  --connect-concurrency N devices connecting at once (default 50)
  --max-inflight N        cap on unacknowledged messages (default max(1000, 10 x rate))
  --provision-only        provision and store the secrets, then exit
  --export-passwd FILE    also write deviceId:secret lines (mode 0600) for Mosquitto's password
                          file (docker compose; see README "Device contract")
  --no-auth               skip the HTTP API and connect without passwords, for a broker that
                          allows anonymous clients (a local test Mosquitto)
  --help                  this text
`;

function number(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got ${value}`);
  return parsed;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): SimulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      mqtt: { type: 'string' },
      devices: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      heartbeat: { type: 'string' },
      'alarm-share': { type: 'string' },
      'access-share': { type: 'string' },
      'admin-user': { type: 'string' },
      'admin-password': { type: 'string' },
      'data-dir': { type: 'string' },
      prefix: { type: 'string' },
      fixture: { type: 'string' },
      seed: { type: 'string' },
      'connect-concurrency': { type: 'string' },
      'max-inflight': { type: 'string' },
      'provision-only': { type: 'boolean' },
      'export-passwd': { type: 'string' },
      'no-auth': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const noAuth = values['no-auth'] === true;
  const dataDir = values['data-dir'] ?? (env.DATA_DIR?.trim() || './data');
  const rate = number(values.rate, 'rate', 50, 0.1, 100_000);
  const prefix = values.prefix ?? 'sim';
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(prefix)) throw new Error('--prefix must be 1-40 characters of A-Z, a-z, 0-9, _, . or -');
  const alarmShare = number(values['alarm-share'], 'alarm-share', 0.01, 0, 1);
  const accessShare = number(values['access-share'], 'access-share', 0.05, 0, 1);
  if (alarmShare + accessShare > 1) throw new Error('--alarm-share and --access-share together must be at most 1');
  const passwordFile = join(dataDir, 'admin-password');
  const adminPassword =
    values['admin-password'] ?? (env.ADMIN_PASSWORD?.trim() || (existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : ''));
  if (!noAuth && !adminPassword) {
    throw new Error(`give --admin-password, set ADMIN_PASSWORD, or run the service once so that ${passwordFile} exists (or use --no-auth)`);
  }
  const provisionOnly = values['provision-only'] === true;
  if (noAuth && (provisionOnly || values['export-passwd'])) throw new Error('--provision-only and --export-passwd need the HTTP API; they cannot go with --no-auth');
  return {
    url: (values.url ?? (env.SC_URL?.trim() || 'http://127.0.0.1:3000')).replace(/\/+$/, ''),
    mqttUrl: values.mqtt ?? 'mqtt://127.0.0.1:1883',
    devices: Math.floor(number(values.devices, 'devices', 200, 1, 100_000)),
    rate,
    durationSeconds: number(values.duration, 'duration', 60, 1, 7 * 86_400),
    // At most 60 s: the shortest real heartbeat interval, so presence never sees a simulated device as late.
    heartbeatSeconds: number(values.heartbeat, 'heartbeat', 30, 5, 60),
    alarmShare,
    accessShare,
    adminUsername: values['admin-user'] ?? (env.ADMIN_USERNAME?.trim() || 'admin'),
    adminPassword: noAuth ? '' : adminPassword,
    dataDir,
    secretsPath: join(dataDir, 'simulator-devices.json'),
    fixturePath: resolve(values.fixture ?? join(__dirname, '..', '..', 'fixtures', 'huainan.json')),
    prefix,
    seed: Math.floor(number(values.seed, 'seed', Date.now() % 2 ** 31, 0, 2 ** 31)),
    noAuth,
    provisionOnly,
    exportPasswd: values['export-passwd'] ? resolve(values['export-passwd']) : undefined,
    connectConcurrency: Math.floor(number(values['connect-concurrency'], 'connect-concurrency', 50, 1, 1000)),
    maxInflight: Math.floor(number(values['max-inflight'], 'max-inflight', Math.max(1000, rate * 10), 1, 1_000_000)),
  };
}
