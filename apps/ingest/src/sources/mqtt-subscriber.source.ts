import { Logger } from '@nestjs/common';
import { connect, IClientOptions, MqttClient } from 'mqtt';
import { INGEST_SHARED_FILTER } from '@sc/messaging';
import { IngestPipeline } from '@sc/core/telemetry/ingest-pipeline';
import { IngestSource, within } from './ingest-source';

export interface MqttSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  instanceId: string;
  connections: number;
}

/** A restarted instance with the same id finds its queue within a day; beyond that the broker may drop it. */
const SESSION_EXPIRY_SECONDS = 86_400;
/**
 * The first retry after losing a working connection is quick: Mosquitto 2.0 restores a
 * persistent session's shared subscription after a restart without delivering to it, so until
 * each connection has subscribed again, messages for the group find no live member.
 */
const RECONNECT_MIN_MS = 200;
const RECONNECT_MAX_MS = 30_000;
/** How long start-up waits for the connections before reporting ready anyway (they keep retrying). */
const START_WAIT_MS = 10_000;
/**
 * Unacknowledged messages the broker may push on one connection (MQTT 5 Receive Maximum).
 * mqtt.js takes them one at a time, so a few queued behind the current one keep it busy; the
 * broker's default (Mosquitto: max_inflight_messages) would park hundreds per connection in
 * this process's memory instead of the broker's queue.
 */
const RECEIVE_MAXIMUM = 16;

/**
 * The external broker (Mosquitto, EMQX): INGEST_CONNECTIONS MQTT 5 clients in the shared
 * subscription, each with a persistent session (sc-ingest-<instance>-<n>). mqtt.js handles one
 * packet at a time per connection and sends the PUBACK when `handleMessage` calls back, which
 * happens only after the batch commits: throughput comes from the many connections whose
 * messages share one batch; a stalled database stops every connection (back-pressure) while
 * the broker keeps the queue.
 */
export class MqttSubscriberSource implements IngestSource {
  readonly kind = 'mqtt-subscriber';
  private readonly logger = new Logger(MqttSubscriberSource.name);
  private clients: MqttClient[] = [];
  private readonly up = new Set<number>();
  private degraded = false;
  /** The latest connection error (refused credentials, unreachable host), for the state-change logs. */
  private lastError?: string;

  constructor(
    private readonly options: MqttSubscriberOptions,
    private readonly pipeline: IngestPipeline,
  ) {}

  async start(): Promise<void> {
    // One unacknowledged message per connection at most: a batch holding them all can close at once.
    this.pipeline.limitOutstanding(this.options.connections);
    const ready = Array.from({ length: this.options.connections }, (_, n) => this.open(n));
    await within(START_WAIT_MS, Promise.all(ready));
    if (this.up.size < this.options.connections) {
      this.logger.warn({ connected: this.up.size, wanted: this.options.connections, url: redactUrl(this.options.url), lastError: this.lastError }, 'broker not reachable yet; still trying');
      this.degraded = true;
    } else {
      this.logger.log({ connections: this.up.size, filter: INGEST_SHARED_FILTER, url: redactUrl(this.options.url) }, 'subscribed to the device topics');
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    const clients = this.clients;
    this.clients = [];
    // A graceful DISCONNECT flushes the PUBACKs already written; the session stays on the broker.
    await within(
      timeoutMs,
      Promise.all(clients.map((client) => new Promise<void>((resolve) => client.end(false, {}, () => resolve())))),
    );
    for (const client of clients) if (!client.disconnected) client.end(true);
  }

  private open(n: number): Promise<void> {
    const clientOptions: IClientOptions = {
      protocolVersion: 5,
      clean: false,
      clientId: `sc-ingest-${this.options.instanceId}-${n}`,
      username: this.options.username,
      password: this.options.password,
      properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS, receiveMaximum: RECEIVE_MAXIMUM },
      reconnectPeriod: RECONNECT_MIN_MS,
      connectTimeout: 10_000,
      // Subscribed explicitly on every connect (below). Mosquitto 2.0 restores a persistent
      // session's shared subscription after its own restart without delivering to it, and
      // mqtt.js's `resubscribe` skips a resumed session and then swallows our own SUBSCRIBE.
      resubscribe: false,
    };
    const client = connect(this.options.url, clientOptions);
    this.clients.push(client);
    client.handleMessage = (packet, done) => {
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      // When stopping, submit refuses and `done` is never called: no PUBACK, the broker redelivers later.
      this.pipeline.submit({ topic: packet.topic, payload, receivedAt: new Date() }, () => done());
    };
    client.on('error', (error) => {
      this.lastError = error.message;
      this.logger.debug({ err: error, connection: n }, 'mqtt connection error');
    });
    let wasUp = false;
    client.on('close', () => {
      // Quick first retry, then capped exponential backoff (read by mqtt.js when it schedules the next attempt).
      client.options.reconnectPeriod = wasUp ? RECONNECT_MIN_MS : Math.min(RECONNECT_MAX_MS, (client.options.reconnectPeriod ?? RECONNECT_MIN_MS) * 2);
      wasUp = false;
      this.markDown(n);
    });
    return new Promise<void>((resolve) => {
      client.on('connect', (connack) => {
        wasUp = true;
        client.options.reconnectPeriod = RECONNECT_MIN_MS;
        const resumed = connack.sessionPresent === true;
        client.subscribe(INGEST_SHARED_FILTER, { qos: 1 }, (error) => {
          if (error) {
            this.logger.error({ err: error, connection: n }, 'subscription refused by the broker');
            return;
          }
          this.markUp(n, resumed);
          resolve();
        });
      });
    });
  }

  /** Connection state is logged when it changes as a whole, not once per connection. */
  private markDown(n: number): void {
    if (!this.up.delete(n) || this.degraded || this.clients.length === 0) return;
    this.degraded = true;
    this.logger.warn({ connected: this.up.size, wanted: this.options.connections, lastError: this.lastError }, 'broker connection lost; reconnecting');
  }

  private markUp(n: number, resumed: boolean): void {
    this.up.add(n);
    if (this.degraded && this.up.size === this.options.connections) {
      this.degraded = false;
      this.logger.log({ connections: this.up.size, sessionResumed: resumed }, 'broker connections restored');
    }
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
