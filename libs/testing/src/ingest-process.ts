import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TextTail, WaitAborted, waitFor } from './wait';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Only what a process needs to run: the app must not pick up the test runner's environment. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];

/**
 * How the ingest app is run: `ts-node` compiles on the fly (transpile-only keeps decorator
 * metadata and starts in seconds); `dist` runs a build (production: node dist/apps/ingest/src/main.js).
 */
export type IngestRunner = { kind: 'ts-node' } | { kind: 'dist'; distDir: string };

export function ingestCommand(runner: IngestRunner): string[] {
  if (runner.kind === 'dist') return [join(runner.distDir, 'apps', 'ingest', 'src', 'main.js')];
  return ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('apps', 'ingest', 'src', 'main.ts')];
}

/** One pino JSON line of the app's stdout. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface IngestProcessOptions {
  /** INGEST_INSTANCE_ID: fixed per logical instance, so a restart resumes its persistent sessions. */
  instanceId: string;
  /** DATABASE_URL or DATA_DIR, REDIS_URL, MQTT_URL, MQTT_USERNAME/PASSWORD and any INGEST_* tuning. */
  env: Record<string, string>;
  runner?: IngestRunner;
  /** Extra node options before the entry, e.g. --cpu-prof (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** When the app counts as ready; default: every connection of the shared subscription is subscribed. */
  isReadyLine?: (line: LogLine) => boolean;
}

/** Logged (info) by the MQTT source once all its connections hold the shared subscription. */
const defaultReady = (line: LogLine): boolean => line.msg === 'subscribed to the device topics' || line.msg === 'broker connections restored';

/**
 * The ingest app as a child process that a test can SIGKILL and start again under the same
 * instance id. Its stdout is parsed as pino JSON lines; every line is kept for the current run
 * in `lines` (the tests read the pipeline's stats from them) and a bounded tail of raw text for
 * failure messages.
 */
export class IngestProcess {
  private child?: ChildProcess;
  private readonly tail = new TextTail();
  /** Parsed log lines of every run, oldest first; `run` tells the runs apart. */
  readonly lines: (LogLine & { run: number })[] = [];
  private run = 0;
  private ready = false;
  /** Highest VmHWM (peak RSS, kB) seen across runs, sampled from /proc while running. */
  private peakRssKb = 0;

  constructor(private readonly options: IngestProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get runs(): number {
    return this.run;
  }

  start(): void {
    if (this.running) throw new Error(`ingest ${this.options.instanceId} is already running`);
    const base: Record<string, string> = {};
    for (const name of INHERITED) {
      const value = process.env[name];
      if (value !== undefined) base[name] = value;
    }
    this.run += 1;
    this.ready = false;
    const run = this.run;
    const isReady = this.options.isReadyLine ?? defaultReady;
    const args = [...(this.options.nodeArgs ?? []), ...ingestCommand(this.options.runner ?? { kind: 'ts-node' })];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...base,
        TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
        NODE_ENV: 'production',
        // info: the readiness line and the periodic stats are info; nothing is logged per message.
        LOG_LEVEL: 'info',
        INGEST_INSTANCE_ID: this.options.instanceId,
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.tail.push(`--- run ${run} (pid ${child.pid}) ---\n`);
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.tail.push(text);
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      for (const raw of parts) {
        const line = parseLine(raw);
        if (!line) continue;
        this.lines.push({ ...line, run });
        if (run === this.run && isReady(line)) this.ready = true;
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => this.tail.push(chunk.toString()));
    child.on('exit', (code, signal) => this.tail.push(`--- run ${run} exited (${code ?? signal}) ---\n`));
  }

  /** Bounded wait for the ready line of the current run; fails at once if the process exits. */
  async waitReady(withinMs = 30_000): Promise<void> {
    await waitFor(
      `ingest ${this.options.instanceId} to be ready`,
      () => {
        this.sampleRss();
        if (!this.running) throw new WaitAborted(`ingest ${this.options.instanceId} exited`);
        return this.ready ? true : undefined;
      },
      { withinMs, everyMs: 50, describe: () => this.output() },
    );
  }

  /** Sends a signal and waits (bounded) for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', withinMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.sampleRss();
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), withinMs);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Graceful stop (SIGTERM), SIGKILL after the bound. */
  stop(withinMs = 15_000): Promise<void> {
    return this.kill('SIGTERM', withinMs);
  }

  /** Reads the child's peak RSS so far; call it now and then while it runs. */
  sampleRss(): number {
    const pid = this.child?.pid;
    if (pid !== undefined && this.running && existsSync(`/proc/${pid}/status`)) {
      try {
        const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) this.peakRssKb = Math.max(this.peakRssKb, Number(match[1]));
      } catch {
        // The process exited between the check and the read.
      }
    }
    return this.peakRssKb;
  }

  /** The child's resident memory now (VmRSS, kB), or 0 when it is not running. */
  currentRssKb(): number {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running) return 0;
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) : 0;
    } catch {
      return 0;
    }
  }

  /** Recent stdout and stderr of all runs, for failure messages. */
  output(): string {
    return `ingest ${this.options.instanceId} output:\n${this.tail.toString()}`;
  }
}

function parseLine(raw: string): LogLine | undefined {
  const text = raw.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogLine) : undefined;
  } catch {
    return undefined;
  }
}
