import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingRedis } from '@sc/messaging';
import { freePort, TextTail, WaitAborted, waitFor } from './wait';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/**
 * A private redis-server on a free port of 127.0.0.1, without persistence, that a test can stop
 * and start again on the same port (an outage). Restarted, it is empty, as a Redis without
 * persistence is after a crash.
 */
export class PrivateRedis {
  readonly url: string;
  private child?: ChildProcess;
  private readonly log = new TextTail();

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'sc-redis-')));
    try {
      await redis.launch();
    } catch (error: unknown) {
      await redis.stop();
      throw error;
    }
    return redis;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.log.toString();
  }

  /** Kills the server (SIGKILL: an outage, not a shutdown); the port stays free for start(). */
  async kill(): Promise<void> {
    await this.terminate('SIGKILL');
  }

  /** Starts it again on the same port after kill(). */
  async restart(): Promise<void> {
    await this.terminate('SIGKILL');
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--protected-mode', 'no'];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    child.on('error', (error) => this.log.push(`spawn error: ${error.message}\n`));
    await waitFor(
      `redis-server to answer on port ${this.port}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new WaitAborted(`redis-server exited (${child.exitCode ?? child.signalCode})`);
        await pingRedis(this.url, 500);
        return true;
      },
      { withinMs: 10_000, everyMs: 50, describe: () => `redis-server output:\n${this.output()}` },
    );
  }

  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
