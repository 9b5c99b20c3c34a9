import { Logger } from '@nestjs/common';
import { redactUrl } from '@sc/config';
import { INGEST_LANE_FILTERS, INGEST_LANES, INGEST_LEGACY_FILTER, IngestLane } from '@sc/messaging/mqtt/topics';
import { IngestPipeline } from '@sc/core/telemetry/ingest-pipeline';
import { IngestSource, within } from './ingest-source';
import { PipelinedSubscriber } from './pipelined-subscriber';

export interface MqttSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  instanceId: string;
  /** Connections per lane: routine (telemetry, heartbeat, status) and event. */
  connections: Readonly<Record<IngestLane, number>>;
  /** Unacknowledged messages one connection holds while their batch commits. */
  pendingPerConnection: number;
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
const KEEPALIVE_SECONDS = 30;

/**
 * The external broker (Mosquitto, EMQX): MQTT 5 connections in the shared subscription of each
 * lane (INGEST_CONNECTIONS for telemetry, heartbeats and status, sc-ingest-<instance>-<n>;
 * INGEST_EVENT_CONNECTIONS for events, sc-ingest-<instance>-event-<n>), each with a persistent
 * session. The broker queues each connection's share apart, so an alarm is never behind a
 * backlog of telemetry on the wire either. Each connection keeps reading while its messages
 * wait for their batch to commit (PipelinedSubscriber), and sends their PUBACKs only after the
 * commit; a stalled database fills every connection's window, the sockets pause, and the
 * broker keeps the queue.
 */
export class MqttSubscriberSource implements IngestSource {
  readonly kind = 'mqtt-subscriber';
  private readonly logger = new Logger(MqttSubscriberSource.name);
  private clients: PipelinedSubscriber[] = [];
  /** Connections up, as lane-n. */
  private readonly up = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;
  private degraded = false;
  /** The latest connection error (refused credentials, unreachable host), for the state-change logs. */
  private lastError?: string;

  constructor(
    private readonly options: MqttSubscriberOptions,
    private readonly pipeline: IngestPipeline,
  ) {}

  async start(): Promise<void> {
    const url = redactUrl(this.options.url) ?? '(unparseable url)';
    const ready = INGEST_LANES.flatMap((lane) => {
      // A batch closes early once every message the lane's connections may hold is in.
      this.pipeline.limitOutstanding(lane, this.options.connections[lane] * this.options.pendingPerConnection);
      return Array.from({ length: this.options.connections[lane] }, (_, n) => this.open(lane, n));
    });
    await within(START_WAIT_MS, Promise.all(ready));
    if (this.up.size < this.wanted) {
      this.logger.warn({ connected: this.up.size, wanted: this.wanted, url, lastError: this.lastError }, 'broker not reachable yet; still trying');
      this.degraded = true;
    } else {
      this.logger.log({ connections: this.options.connections, filters: INGEST_LANE_FILTERS, url }, 'subscribed to the device topics');
    }
  }

  /** Each lane needs a connection up: with none, its messages wait on the broker. */
  check(): void {
    const down = INGEST_LANES.filter((lane) => ![...this.up].some((key) => key.startsWith(`${lane}-`)));
    if (down.length > 0) throw new Error(`no ${down.join(' or ')} connection to the broker${this.lastError ? ` (${this.lastError})` : ''}`);
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    const clients = this.clients;
    this.clients = [];
    // A graceful DISCONNECT after the PUBACKs already due; the sessions stay on the broker.
    await within(timeoutMs, Promise.all(clients.map((client) => client.close(timeoutMs))));
  }

  private get wanted(): number {
    return INGEST_LANES.reduce((sum, lane) => sum + this.options.connections[lane], 0);
  }

  private open(lane: IngestLane, n: number): Promise<void> {
    const key = `${lane}-${n}`;
    return new Promise<void>((resolve) => {
      let delay = RECONNECT_MIN_MS;
      let wasUp = false;
      const client = new PipelinedSubscriber(
        {
          url: this.options.url,
          // The routine lane keeps the names sessions had before the lanes, so they resume.
          clientId: lane === 'routine' ? `sc-ingest-${this.options.instanceId}-${n}` : `sc-ingest-${this.options.instanceId}-event-${n}`,
          username: this.options.username,
          password: this.options.password,
          filters: INGEST_LANE_FILTERS[lane],
          dropFilters: lane === 'routine' ? [INGEST_LEGACY_FILTER] : [],
          sessionExpirySeconds: SESSION_EXPIRY_SECONDS,
          maxPending: this.options.pendingPerConnection,
          keepaliveSeconds: KEEPALIVE_SECONDS,
        },
        {
          message: (topic, payload, ack) => {
            // When stopping, submit refuses and `ack` is never called: no PUBACK, the broker redelivers later.
            this.pipeline.submit({ topic, payload, receivedAt: new Date() }, ack);
          },
          up: (resumed) => {
            wasUp = true;
            delay = RECONNECT_MIN_MS;
            this.markUp(key, resumed);
            resolve();
          },
          down: (error) => {
            if (error) {
              this.lastError = error.message;
              this.logger.debug({ err: error, connection: key }, 'mqtt connection error');
            }
            this.markDown(key);
            if (this.stopping) return;
            // Quick first retry after a working connection, then capped exponential backoff.
            delay = wasUp ? RECONNECT_MIN_MS : Math.min(RECONNECT_MAX_MS, delay * 2);
            wasUp = false;
            const timer = setTimeout(() => {
              this.timers.delete(timer);
              if (!this.stopping) client.connect();
            }, delay);
            this.timers.add(timer);
          },
        },
      );
      this.clients.push(client);
      client.connect();
    });
  }

  /** Connection state is logged when it changes as a whole, not once per connection. */
  private markDown(key: string): void {
    if (!this.up.delete(key) || this.degraded || this.clients.length === 0) return;
    this.degraded = true;
    this.logger.warn({ connected: this.up.size, wanted: this.wanted, lastError: this.lastError }, 'broker connection lost; reconnecting');
  }

  private markUp(key: string, resumed: boolean): void {
    this.up.add(key);
    if (this.degraded && this.up.size === this.wanted) {
      this.degraded = false;
      this.logger.log({ connections: this.up.size, sessionResumed: resumed }, 'broker connections restored');
    }
  }
}
