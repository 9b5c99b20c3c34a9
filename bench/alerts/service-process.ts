import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { TextTail, WaitAborted, waitFor } from '@sc/testing/wait';

const ROOT = resolve(__dirname, '..', '..');
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
/** Service settings a run may override from the bench's environment (e.g. WORKER_CONCURRENCY_ALERTS=128). */
const TUNABLE = /^(WORKER_CONCURRENCY_|OUTBOX_|INGEST_|DATABASE_POOL_)/;
/** A folder to keep each app's whole output in (<app>.log), for looking into a slow run; otherwise only a tail is kept. */
const LOG_DIR = process.env.BENCH_LOG_DIR;

/** One of the service's apps (api, ingest, worker) from a build, as docker-compose runs them apart. */
export class ServiceProcess {
  private child?: ChildProcess;
  private readonly tail = new TextTail();
  private log?: WriteStream;
  private ready = false;
  private peakRssKb = 0;

  constructor(
    readonly app: 'api' | 'ingest' | 'worker',
    private readonly distDir: string,
    private readonly env: Record<string, string>,
    private readonly nodeArgs: string[] = [],
    private readonly readyMessage: RegExp = /started|subscribed to the device topics/,
  ) {}

  start(): void {
    const base: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined && (INHERITED.includes(name) || TUNABLE.test(name))) base[name] = value;
    const child = spawn(process.execPath, [...this.nodeArgs, join(this.distDir, 'apps', this.app, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...base, NODE_ENV: 'production', LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    if (LOG_DIR) {
      mkdirSync(LOG_DIR, { recursive: true });
      const log = createWriteStream(join(LOG_DIR, `${this.app}.log`), { flags: 'a' });
      child.once('close', () => log.end());
      this.log = log;
    }
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.record(text);
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      for (const raw of parts) {
        try {
          const line = JSON.parse(raw) as { msg?: string };
          if (typeof line.msg === 'string' && this.readyMessage.test(line.msg)) this.ready = true;
        } catch {
          // not a pino line
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => this.record(chunk.toString()));
  }

  /** The app's output: its tail for error messages, all of it in BENCH_LOG_DIR when set (written without blocking the load). */
  private record(text: string): void {
    this.tail.push(text);
    this.log?.write(text);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitReady(withinMs = 60_000): Promise<void> {
    await waitFor(
      `${this.app} to be ready`,
      () => {
        this.sampleRss();
        if (!this.running) throw new WaitAborted(`${this.app} exited`);
        return this.ready ? true : undefined;
      },
      { withinMs, everyMs: 100, describe: () => this.output() },
    );
  }

  sampleRss(): void {
    const pid = this.child?.pid;
    if (!pid || !this.running) return;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      if (match) this.peakRssKb = Math.max(this.peakRssKb, Number(match[1]));
    } catch {
      // gone
    }
  }

  /** CPU seconds (user + system) the process has used so far; 0 once it is gone. */
  cpuSeconds(): number {
    const pid = this.child?.pid;
    if (!pid || !this.running) return 0;
    try {
      return processCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return 0;
    }
  }

  get peakRssMb(): number {
    return this.peakRssKb / 1024;
  }

  output(): string {
    return this.tail.toString();
  }

  async stop(withinMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), withinMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Linux clock ticks a second (USER_HZ), which /proc reports CPU time in. */
const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/<pid>/stat line (fields 14 and 15; the command name may hold spaces). */
export function processCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Busy CPU seconds of the whole machine (all cores) from /proc/stat. */
export function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return (cpu.reduce((a, b) => a + b, 0) - idle) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by every process whose command name is `comm` (postgres, mosquitto, redis-server). */
export function commandCpuSeconds(comm: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm) total += processCpuSeconds(stat);
    } catch {
      // gone
    }
  }
  return total;
}
