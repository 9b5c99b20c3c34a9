import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { connectAsync } from 'mqtt';
import { freePort, TextTail, WaitAborted, waitFor } from './wait';

const ROOT = resolve(__dirname, '..', '..', '..');
const PROJECT_CONF = join(ROOT, 'deploy', 'mosquitto', 'mosquitto.conf');
const PROJECT_ACL = join(ROOT, 'deploy', 'mosquitto', 'acl');
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.MOSQUITTO_PASSWD_BIN ?? 'mosquitto_passwd';
const STDBUF = ['/usr/bin/stdbuf', '/bin/stdbuf'].find((path) => existsSync(path));

export interface MqttUser {
  username: string;
  password: string;
}

/** The service user of deploy/mosquitto/acl: reads sc/v1/#, also through $share. */
export const INGEST_SERVICE_USER: MqttUser = { username: 'sc-ingest', password: 'ingest-password-for-tests' };

/** A test-only user that may publish under any site and device (a stand-in for many devices). */
export const TEST_PUBLISHER_USER: MqttUser = { username: 'publisher', password: 'publisher-password-for-tests' };

export interface PrivateMosquittoOptions {
  /** Users to write into the password file; default the service user and the test publisher. */
  users?: MqttUser[];
  /** ACL lines appended to the project's ACL. Default: the test publisher may write sc/v1/#. */
  extraAcl?: string[];
  /** Lines appended to the project's configuration, e.g. `log_type all` to see every PUBACK. */
  extraConf?: string[];
  /** Called with every line the broker logs (its log goes to stdout, as in the project's config). */
  onLogLine?: (line: string) => void;
}

/**
 * Directives of the project's mosquitto.conf that name container paths or the container port;
 * they are rewritten to this broker's temp dir and port, everything else is kept as shipped so
 * tests exercise the real limits (max_queued_messages 0, persistence, max_inflight_messages...).
 */
const REWRITTEN = ['listener', 'password_file', 'acl_file', 'persistence_location'] as const;

export function projectMosquittoConf(paths: { port: number; dir: string }, extraConf: readonly string[] = []): string {
  const seen = new Set<string>();
  const lines = readFileSync(PROJECT_CONF, 'utf8')
    .split('\n')
    .map((line) => {
      const key = line.trim().split(/\s+/)[0];
      switch (key) {
        case 'listener':
          seen.add(key);
          return `listener ${paths.port} 127.0.0.1`;
        case 'password_file':
          seen.add(key);
          return `password_file ${join(paths.dir, 'passwd')}`;
        case 'acl_file':
          seen.add(key);
          return `acl_file ${join(paths.dir, 'acl')}`;
        case 'persistence_location':
          seen.add(key);
          return `persistence_location ${join(paths.dir, 'data')}/`;
        default:
          return line;
      }
    });
  const missing = REWRITTEN.filter((key) => !seen.has(key));
  if (missing.length > 0) throw new Error(`${PROJECT_CONF} no longer sets ${missing.join(', ')}: update the test broker`);
  // Run as root, Mosquitto drops to user "mosquitto", which cannot write our 0700 temp dir.
  const user = userInfo().username;
  if (process.getuid?.() === 0) lines.push(`user ${user}`);
  lines.push(...extraConf);
  return `${lines.join('\n')}\n`;
}

/**
 * A private Mosquitto with the project's configuration on a free port of 127.0.0.1, with its
 * own password file, ACL and persistence directory. `restart()` keeps the port and the
 * persisted sessions, as a broker upgrade in production would.
 */
export class PrivateMosquitto {
  readonly url: string;
  private child?: ChildProcess;
  private readonly log = new TextTail();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly confPath: string,
    private readonly onLogLine?: (line: string) => void,
  ) {
    this.url = `mqtt://127.0.0.1:${port}`;
  }

  static async start(options: PrivateMosquittoOptions = {}): Promise<PrivateMosquitto> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sc-mosquitto-'));
    mkdirSync(join(dir, 'data'));
    const users = options.users ?? [INGEST_SERVICE_USER, TEST_PUBLISHER_USER];
    users.forEach((user, i) => {
      const args = i === 0 ? ['-b', '-c'] : ['-b'];
      execFileSync(MOSQUITTO_PASSWD, [...args, join(dir, 'passwd'), user.username, user.password], { stdio: 'pipe' });
    });
    const extraAcl = options.extraAcl ?? [`user ${TEST_PUBLISHER_USER.username}`, 'topic write sc/v1/#'];
    writeFileSync(join(dir, 'acl'), `${readFileSync(PROJECT_ACL, 'utf8')}\n${extraAcl.join('\n')}\n`);
    const confPath = join(dir, 'mosquitto.conf');
    writeFileSync(confPath, projectMosquittoConf({ port, dir }, options.extraConf));
    const broker = new PrivateMosquitto(port, dir, confPath, options.onLogLine);
    try {
      await broker.launch();
    } catch (error: unknown) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  /** The broker's recent output (connections, errors), for failure messages. */
  output(): string {
    return this.log.toString();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGTERM (Mosquitto saves its persistence file), then the same config, port and data again. */
  async restart(): Promise<void> {
    await this.halt();
    await this.resume();
  }

  /** Stops the broker and keeps its files: resume() starts it again on the same port. */
  async halt(): Promise<void> {
    await this.terminate('SIGTERM');
  }

  async resume(): Promise<void> {
    await this.launch();
  }

  /** Stops the broker and removes its files. */
  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    // Mosquitto before 2.0.16 block-buffers stdout into a pipe; stdbuf makes each log line arrive
    // when it is written (the tests time PUBACKs by the log). stdbuf execs, so the pid is the broker's.
    const [command, args] = STDBUF ? [STDBUF, ['-oL', MOSQUITTO, '-c', this.confPath]] : [MOSQUITTO, ['-c', this.confPath]];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.log.push(text);
      if (!this.onLogLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.onLogLine(line);
    });
    child.stderr?.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    child.on('error', (error) => this.log.push(`spawn error: ${error.message}\n`));
    await waitFor(
      `Mosquitto to accept ${INGEST_SERVICE_USER.username} on port ${this.port}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new WaitAborted(`mosquitto exited (${child.exitCode ?? child.signalCode})`);
        }
        const client = await connectAsync(this.url, {
          ...INGEST_SERVICE_USER,
          protocolVersion: 5,
          reconnectPeriod: 0,
          connectTimeout: 1000,
          clientId: `sc-probe-${process.pid}-${Date.now()}`,
        });
        await client.endAsync(true);
        return true;
      },
      { withinMs: 10_000, everyMs: 50, describe: () => `mosquitto output:\n${this.output()}` },
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
