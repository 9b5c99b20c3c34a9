/**
 * Device simulator: npm run simulate -- --devices 200 --rate 50 --duration 60
 * Provisions a fleet across the pilot communities of the Huainan fixture through the HTTP API,
 * connects one MQTT client per device with its own credentials and publishes realistic traffic
 * (docs/mqtt-contract.md) at the total rate asked, printing progress every second and a summary.
 * `--help` lists the options.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { planFleet, readFixture } from './simulator/fleet';
import { parseOptions, SimulatorOptions, USAGE } from './simulator/options';
import { provisionFleet, rotateOne, ServiceApi } from './simulator/provision';
import { runSimulation, SimulatedDevice } from './simulator/runner';
import { Stats } from './simulator/stats';
import { Traffic } from './simulator/traffic';
import { seededRandom } from './simulator/values';

export interface SimulationResult {
  stats?: Stats;
  devices: SimulatedDevice[];
}

export async function simulate(options: SimulatorOptions, signal: AbortSignal, log: (line: string) => void): Promise<SimulationResult> {
  const plan = planFleet(readFixture(options.fixturePath), options.devices, options.prefix);
  const mix = new Map<string, number>();
  for (const d of plan) mix.set(d.type, (mix.get(d.type) ?? 0) + 1);
  log(`fleet: ${plan.length} devices in ${new Set(plan.map((d) => d.siteId)).size} pilot communities: ${[...mix].map(([t, n]) => `${t} ${n}`).join(', ')}`);

  let devices: SimulatedDevice[];
  let api: ServiceApi | undefined;
  if (options.noAuth) {
    devices = plan.map((p) => ({ plan: p }));
  } else {
    api = new ServiceApi(options.url);
    await api.login(options.adminUsername, options.adminPassword);
    const report = await provisionFleet(api, plan, { url: options.url, prefix: options.prefix, secretsPath: options.secretsPath, log });
    log(`credentials: ${report.reused} reused, ${report.created} created, ${report.rotated} renewed (kept in ${options.secretsPath})`);
    if (report.disabled.length > 0) log(`left out ${report.disabled.length} disabled devices, e.g. ${report.disabled.slice(0, 3).join(', ')}`);
    const byCode = new Map(report.devices.map((c) => [c.code, c]));
    devices = [];
    for (const p of plan) {
      const credential = byCode.get(p.code);
      // The registry's site wins: someone may have moved a simulated device.
      if (credential) devices.push({ plan: { ...p, siteId: credential.siteId }, id: credential.id, secret: credential.secret });
    }
  }
  if (options.exportPasswd) {
    // Plain text for `mosquitto_passwd -b` (or -U); as secret as the secrets file itself.
    writeFileSync(options.exportPasswd, devices.map((d) => `${d.plan.code}:${d.secret ?? ''}\n`).join(''), { mode: 0o600 });
    chmodSync(options.exportPasswd, 0o600);
    log(`wrote ${devices.length} deviceId:secret lines to ${options.exportPasswd}`);
  }
  if (options.provisionOnly) return { devices };

  const random = seededRandom(options.seed);
  const heartbeatRate = devices.length / options.heartbeatSeconds;
  if (heartbeatRate > options.rate) {
    log(`note: ${devices.length} devices beating every ${options.heartbeatSeconds} s need ${heartbeatRate.toFixed(1)} msg/s, more than --rate ${options.rate}: only heartbeats will be sent`);
  }
  log(`publishing ${options.rate} msg/s for ${options.durationSeconds} s to ${options.mqttUrl} (seed ${options.seed})`);
  const stats = await runSimulation(devices, {
    mqttUrl: options.mqttUrl,
    rate: options.rate,
    durationSeconds: options.durationSeconds,
    connectConcurrency: options.connectConcurrency,
    maxInflight: options.maxInflight,
    makeTraffic: (online, start) =>
      new Traffic(online, { heartbeatSeconds: options.heartbeatSeconds, alarmShare: options.alarmShare, accessShare: options.accessShare }, random, start),
    renewSecret: api
      ? async (device) => {
          if (!device.id) return undefined;
          log(`the broker refused the stored secret of ${device.plan.code}: issuing a new one`);
          const credential = { id: device.id, code: device.plan.code, type: device.plan.type, siteId: device.plan.siteId, secret: device.secret ?? '' };
          return (await rotateOne(api, options.secretsPath, options.url, credential)).secret;
        }
      : undefined,
    signal,
    log,
  });
  log('summary:');
  for (const line of stats.summary()) log(`  ${line}`);
  return { stats, devices };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    // The first Ctrl-C stops publishing and shuts the devices down cleanly; the second gives up.
    if (interrupts > 1) process.exit(130);
    console.log('stopping: waiting for the last acknowledgements (Ctrl-C again to quit at once)');
    controller.abort();
  });
  const result = await simulate(options, controller.signal, (line) => console.log(line));
  const stats = result.stats;
  if (stats && (stats.failed > 0 || stats.inFlight() > 0)) process.exitCode = 2;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
