import { createTestApp, TestApp } from '../support/test-app';
import { INGEST_SERVICE_USER, PrivateMosquitto } from '../support/mosquitto';
import { TcpProxy } from '../support/tcp-proxy';
import { IngestProcess, waitFor } from '../support/ingest-process';
import { storedCount } from './stored-events';
import { PublishedDevice } from './sequenced-publisher';

const PSEUDONYM_KEY = 'test-pseudonym-key-of-at-least-thirty-two-chars';

/** A PUBACK the broker received from an ingest connection, when the test saw it in the broker log. */
export interface IngestAck {
  at: number;
  clientId: string;
}

/**
 * What the resilience tests stand on: the API's test app (a fresh database of the driver under
 * test, for arranging and reading rows), a private Mosquitto with the project's configuration
 * and full logging (each PUBACK an ingest connection sends is seen), and on PostgreSQL a TCP
 * proxy between the ingest and the database.
 */
export class ResilienceRig {
  private readonly ingests: IngestProcess[] = [];

  private constructor(
    /** Filled as the broker logs them, oldest first. */
    readonly acks: readonly IngestAck[],
    /** The broker's log without the per-message lines: connections, subscriptions, errors. */
    private readonly brokerEvents: readonly string[],
    readonly t: TestApp,
    readonly broker: PrivateMosquitto,
    readonly proxy: TcpProxy | undefined,
  ) {}

  static async start(): Promise<ResilienceRig> {
    const t = await createTestApp();
    const acks: IngestAck[] = [];
    const events: string[] = [];
    let broker: PrivateMosquitto | undefined;
    let proxy: TcpProxy | undefined;
    try {
      broker = await PrivateMosquitto.start({
        // `all` logs every packet: the test sees which connection acknowledged what, and when.
        extraConf: ['log_type all'],
        onLogLine: (line) => {
          const match = / Received PUBACK from (sc-ingest-\S+) /.exec(line);
          if (match) acks.push({ at: Date.now(), clientId: match[1] });
          else if (!/ (PUBLISH|PUBACK|PINGREQ|PINGRESP) /.test(line) && events.push(line) > 400) events.shift();
        },
      });
      const url = t.db.env.DATABASE_URL;
      if (url !== undefined) {
        const target = new URL(url);
        proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      }
    } catch (error: unknown) {
      await broker?.stop();
      await t.close();
      throw error;
    }
    return new ResilienceRig(acks, events, t, broker, proxy);
  }

  /** An ingest process on this rig's broker and database (through the proxy on PostgreSQL). */
  ingest(instanceId: string, connections = 8): IngestProcess {
    const dbEnv = { ...this.t.db.env };
    if (this.proxy && dbEnv.DATABASE_URL) dbEnv.DATABASE_URL = this.proxy.rewrite(dbEnv.DATABASE_URL);
    const process = new IngestProcess({
      instanceId,
      env: {
        ...dbEnv,
        MQTT_URL: this.broker.url,
        MQTT_USERNAME: INGEST_SERVICE_USER.username,
        MQTT_PASSWORD: INGEST_SERVICE_USER.password,
        PSEUDONYM_KEY,
        INGEST_CONNECTIONS: String(connections),
      },
    });
    this.ingests.push(process);
    return process;
  }

  /** PUBACKs from the connections of one instance (client ids sc-ingest-<instance>-<n>). */
  acksOf(instanceId: string, from = 0, to = Number.POSITIVE_INFINITY): number {
    const prefix = `sc-ingest-${instanceId}-`;
    return this.acks.filter((a) => a.clientId.startsWith(prefix) && a.at >= from && a.at <= to).length;
  }

  /** Bounded wait until more of the devices' rows are stored than now: the ingest is writing. */
  async waitForProgress(devices: readonly PublishedDevice[], what: string, withinMs = 30_000): Promise<void> {
    const before = await storedCount(this.t, devices);
    await waitFor(`${what}: rows stored beyond ${before}`, async () => ((await storedCount(this.t, devices)) > before ? true : undefined), {
      withinMs,
      everyMs: 100,
      describe: () => this.diagnostics(),
    });
  }

  /** Outputs of the ingests and the broker, for a failure message. */
  diagnostics(): string {
    return [...this.ingests.map((i) => i.output()), `broker (without per-message lines):\n${this.brokerEvents.join('\n')}`].join('\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.ingests.map((i) => i.stop()));
    await this.broker.stop();
    await this.proxy?.close();
    await this.t.close();
  }
}
