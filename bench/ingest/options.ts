import { RunnerChoice } from './runner';

export interface BenchOptions {
  messages: number;
  devices: number;
  sites: number;
  /** Publisher connections (each carries many devices' traffic). */
  connections: number;
  /** Messages awaiting PUBACK per publisher connection at full speed. */
  window: number;
  /** Seconds of the steady half-capacity load. */
  halfLoadSeconds: number;
  runner: RunnerChoice;
  /** Extra environment for the ingest (INGEST_CONNECTIONS=..., INGEST_BATCH_MAX=...). */
  ingestEnv: Record<string, string>;
  /** Node options for the ingest process, e.g. --cpu-prof (repeatable). */
  nodeArgs: string[];
  /** Whole-run bound in seconds. */
  timeoutSeconds: number;
}

type NumericKey = { [K in keyof BenchOptions]: BenchOptions[K] extends number ? K : never }[keyof BenchOptions];

const USAGE = `npm run bench:ingest -- [--messages 200000] [--devices 5000] [--sites 10] [--connections 16]
  [--window 200] [--half-load-seconds 20] [--runner auto|dist|build|ts-node] [--env NAME=value ...] [--node-arg --cpu-prof ...]
  [--timeout-seconds 900]`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    messages: 200_000,
    devices: 5_000,
    sites: 10,
    connections: 16,
    window: 200,
    halfLoadSeconds: 20,
    runner: 'auto',
    ingestEnv: {},
    // The heap cap docker-compose.yml and `npm run start:ingest` give the ingest; --node-arg adds more.
    nodeArgs: ['--max-old-space-size=128'],
    timeoutSeconds: 900,
  };
  const numeric: Record<string, NumericKey> = {
    '--messages': 'messages',
    '--devices': 'devices',
    '--sites': 'sites',
    '--connections': 'connections',
    '--window': 'window',
    '--half-load-seconds': 'halfLoadSeconds',
    '--timeout-seconds': 'timeoutSeconds',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    i += 1;
    const key = numeric[flag];
    if (key) {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${value}`);
      options[key] = n;
    } else if (flag === '--runner') {
      if (!['auto', 'dist', 'build', 'ts-node'].includes(value)) throw new Error(`--runner must be auto, dist, build or ts-node`);
      options.runner = value as RunnerChoice;
    } else if (flag === '--env') {
      const eq = value.indexOf('=');
      if (eq <= 0) throw new Error(`--env takes NAME=value, got ${value}`);
      options.ingestEnv[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (flag === '--node-arg') {
      options.nodeArgs.push(value);
    } else {
      throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  return options;
}
