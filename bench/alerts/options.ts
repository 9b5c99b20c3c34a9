import { RunnerChoice } from '../ingest/runner';

export interface AlertBenchOptions {
  /** New alarms a second (each a different device, so each is a new alert and a new work order). */
  alertsPerSecond: number;
  /** Background telemetry messages a second, from `telemetryDevices` devices. */
  telemetryPerSecond: number;
  telemetryDevices: number;
  /** Seconds of load. */
  durationSeconds: number;
  /** Seconds of the same load before the measured one (not counted): JIT, pools and caches warm. */
  warmupSeconds: number;
  communities: number;
  /** Seconds to wait after the load for the last deliveries. */
  drainSeconds: number;
  runner: RunnerChoice;
  timeoutSeconds: number;
}

const USAGE = `npm run bench:alerts -- [--alerts-per-second 200] [--telemetry-per-second 5000] [--telemetry-devices 5000]
  [--duration-seconds 60] [--warmup-seconds 10] [--communities 10] [--drain-seconds 30] [--runner build|dist] [--timeout-seconds 900]`;

export function parseAlertOptions(argv: readonly string[]): AlertBenchOptions {
  const options: AlertBenchOptions = {
    alertsPerSecond: 200,
    telemetryPerSecond: 5_000,
    telemetryDevices: 5_000,
    durationSeconds: 60,
    warmupSeconds: 10,
    communities: 10,
    drainSeconds: 30,
    // Always a fresh private build: the api and worker sources change as often as the ingest's.
    runner: 'build',
    timeoutSeconds: 900,
  };
  const numeric: Record<string, Exclude<keyof AlertBenchOptions, 'runner'>> = {
    '--alerts-per-second': 'alertsPerSecond',
    '--telemetry-per-second': 'telemetryPerSecond',
    '--telemetry-devices': 'telemetryDevices',
    '--duration-seconds': 'durationSeconds',
    '--warmup-seconds': 'warmupSeconds',
    '--communities': 'communities',
    '--drain-seconds': 'drainSeconds',
    '--timeout-seconds': 'timeoutSeconds',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--runner') {
      if (!['auto', 'dist', 'build'].includes(value)) throw new Error(`--runner must be auto, dist or build\n${USAGE}`);
      options.runner = value as RunnerChoice;
      continue;
    }
    const key = numeric[flag];
    if (!key) throw new Error(`unknown option ${flag}\n${USAGE}`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number`);
    options[key] = n;
  }
  return options;
}
