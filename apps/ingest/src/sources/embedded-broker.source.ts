import { createHash, timingSafeEqual } from 'node:crypto';
import { AddressInfo, createServer, Server } from 'node:net';
import { Logger } from '@nestjs/common';
import { Aedes, AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import { DeviceCredentialsService } from '@sc/core/devices/device-credentials.service';
import { IngestPipeline } from '@sc/core/telemetry/ingest-pipeline';
import { IngestSource, within } from './ingest-source';

export interface EmbeddedBrokerOptions {
  /** Exactly this port; undefined: the MQTT port 1883, or the next free one of DEFAULT_PORTS. */
  port?: number;
  /** The service user (MQTT_USERNAME/MQTT_PASSWORD): may publish for any device and subscribe. */
  serviceUser?: { username: string; password: string };
}

/** Who a connection authenticated as. */
type Publisher = { kind: 'device'; code: string } | { kind: 'service' };

/** MQTT CONNACK return codes (3.1.1; Aedes maps them for MQTT 5). */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Tried in turn when no port is configured: a machine that already runs a broker on 1883 still starts. */
const DEFAULT_PORTS = Array.from({ length: 11 }, (_, i) => 1883 + i);

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function isAddressInUse(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The embedded broker of the all-in-one default (no MQTT_URL): Aedes on MQTT_EMBEDDED_PORT.
 * Devices log in with their code and secret (DeviceCredentialsService.authenticate). Every
 * publish goes to the pipeline from `authorizePublish`, whose callback (after which Aedes sends
 * the PUBACK) runs only once the batch committed. A message on another device's or site's topic
 * is recorded and refused (the connection closes); a well-formed topic with a bad payload is
 * recorded and acknowledged, so one bad message does not cut the device off. Devices may not
 * subscribe; nothing is routed to them.
 */
export class EmbeddedBrokerSource implements IngestSource {
  readonly kind = 'embedded-broker';
  private readonly logger = new Logger(EmbeddedBrokerSource.name);
  private readonly publishers = new WeakMap<Client, Publisher>();
  private broker?: Aedes;
  private server?: Server;

  constructor(
    private readonly options: EmbeddedBrokerOptions,
    private readonly pipeline: IngestPipeline,
    private readonly credentials: DeviceCredentialsService,
  ) {}

  /** The port listened on (MQTT_EMBEDDED_PORT, the default one found free, or the one the OS chose for 0). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  check(): void {
    if (!this.server?.listening) throw new Error('the embedded broker is not listening');
  }

  async start(): Promise<void> {
    const broker = new Aedes({
      authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, subscription, done) => this.authorizeSubscribe(client, subscription, done),
    });
    await broker.listen();
    broker.on('clientError', (client, error) => this.logger.debug({ clientId: client.id, err: error }, 'mqtt client error'));
    const server = createServer(broker.handle);
    await this.listenOnPort(server);
    server.on('error', (error) => this.logger.error({ err: error }, 'embedded broker socket error'));
    this.broker = broker;
    this.server = server;
    this.logger.log({ port: this.port }, 'embedded MQTT broker listening');
  }

  private async listenOnPort(server: Server): Promise<void> {
    const candidates = this.options.port !== undefined ? [this.options.port] : DEFAULT_PORTS;
    for (const port of candidates) {
      try {
        await listen(server, port);
        if (port !== candidates[0]) {
          this.logger.warn({ port, taken: candidates[0] }, 'MQTT port 1883 is taken (another broker?); the embedded broker listens on the next free port. Set MQTT_EMBEDDED_PORT, or MQTT_URL to use that broker.');
        }
        return;
      } catch (error: unknown) {
        if (!isAddressInUse(error)) throw error;
        if (port === candidates[candidates.length - 1]) {
          const which = candidates.length === 1 ? `port ${port} is` : `ports ${candidates[0]}-${port} are`;
          throw new Error(`the embedded MQTT broker cannot listen: ${which} in use. Set MQTT_EMBEDDED_PORT to a free port, or MQTT_URL to use the broker already running.`, { cause: error });
        }
      }
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    const { broker, server } = this;
    this.broker = undefined;
    this.server = undefined;
    // Closing the broker drops every client: what they sent without a PUBACK they send again.
    await within(timeoutMs, Promise.all([
      new Promise<void>((resolve) => (broker ? broker.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    ]));
  }

  private authenticate(client: Client, username: string | undefined, password: Buffer | undefined, done: (error: AuthenticateError | null, success: boolean | null) => void): void {
    const secret = password?.toString('utf8') ?? '';
    const service = this.options.serviceUser;
    if (username === undefined || secret === '') {
      done(authError('username and password required', BAD_USERNAME_OR_PASSWORD), null);
      return;
    }
    if (service && username === service.username) {
      if (!sameSecret(secret, service.password)) {
        done(authError('bad username or password', BAD_USERNAME_OR_PASSWORD), null);
        return;
      }
      this.publishers.set(client, { kind: 'service' });
      done(null, true);
      return;
    }
    this.credentials.authenticate(username, secret).then(
      (device) => {
        if (!device) {
          this.logger.debug({ deviceCode: username.slice(0, 64) }, 'mqtt login refused');
          done(authError('bad username or password', BAD_USERNAME_OR_PASSWORD), null);
          return;
        }
        this.publishers.set(client, { kind: 'device', code: device.code });
        done(null, true);
      },
      (error: unknown) => {
        this.logger.error({ err: error }, 'device authentication failed');
        done(authError('authentication unavailable', SERVER_UNAVAILABLE), null);
      },
    );
  }

  private authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
    if (packet.topic.startsWith('$SYS/')) {
      done(new Error('$SYS topics are reserved'));
      return;
    }
    // A null client is a will left behind by a connection Aedes no longer holds; it was checked at CONNECT.
    const publisher = client ? this.publishers.get(client) : undefined;
    if (client && !publisher) {
      done(new Error('not authenticated'));
      return;
    }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    this.pipeline.submit(
      { topic: packet.topic, payload, username: publisher?.kind === 'device' ? publisher.code : undefined, receivedAt: new Date() },
      (result) => {
        if (result.status === 'rejected' && (result.reason === 'topic_mismatch' || result.reason === 'bad_topic')) {
          done(new Error(`publish refused: ${result.reason}`));
        } else {
          done(null);
        }
      },
    );
  }

  private authorizeSubscribe(client: Client, subscription: Subscription, done: (error: Error | null, subscription?: Subscription | null) => void): void {
    if (this.publishers.get(client)?.kind === 'service') done(null, subscription);
    else done(new Error('devices may not subscribe'));
  }
}
