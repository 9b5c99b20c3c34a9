import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf, ListenConnection, openListenConnection } from '@sc/database';
import { queryRows } from '../../telemetry/sql';
import { CONDITION_KINDS } from '../lifecycle/alarm-writer';

/** The NOTIFY channel on which every ingest instance hears the keys the others make live. */
export const LIVE_CONDITIONS_CHANNEL = 'sc_live_conditions';

/** A heartbeat is sent this often; the set is trusted only while one sent lately has been heard. */
const HEARTBEAT_EVERY_MS = 1_000;
const TRUST_WINDOW_MS = 2_500;
/** Keys never hold a space, so a heartbeat cannot pass for one. */
const HEARTBEAT_PREFIX = 'heartbeat ';
/** A listener that has heard nothing of its own for this long is dropped and opened again. */
const DEAD_AFTER_MS = 10_000;
/** Keys of cleared alerts and removed states leave the set at the next full read. */
const RELOAD_EVERY_MS = 60_000;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;
const CLOSE_TIMEOUT_MS = 3_000;
/** Bounds memory (the ingest runs in a small heap); beyond it every key counts as live. */
const MAX_KEYS = 50_000;
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes and more; keys are ASCII. */
const PAYLOAD_MAX_CHARS = 7_000;

/** Names itself, so an operator can tell the listener's session in pg_stat_activity. */
const RELOAD_SQL = `select open_key as live_conditions_key from alerts where open_key is not null and rule_kind in (${CONDITION_KINDS.map((k) => `'${k}'`).join(', ')})
  union select device_id || '/' || alert_type from alert_rule_states`;

/**
 * Which "<device>/<alert type>" keys may be live in any ingest instance: an open threshold or
 * duration alert, or a rule state (alert_rule_states). A reading within its limits must clear
 * such an alert and forget a duration's start, but almost always there is none: without this,
 * every batch of telemetry costs an UPDATE per clear reason and a DELETE that match nothing.
 *
 * The set is filled on PostgreSQL from one query when the listener connects, then by LISTEN:
 * whoever creates a live row announces its key with NOTIFY in the same transaction (`announce`),
 * so it is heard once it commits. It is a superset (keys that stopped being live leave it at the
 * next full read). Every second the instance also sends a heartbeat NOTIFY through the pool, as
 * announcements go: hearing it back proves that everything committed before it was heard too
 * (PostgreSQL delivers in commit order). Until the set is complete, and whenever the listener is
 * lost or has not heard a heartbeat sent in the last TRUST_WINDOW_MS, every key counts as live
 * and the engine writes as if this did not exist; the same on SQLite, which has no NOTIFY. A key
 * made live by another instance counts from the moment its NOTIFY arrives, a few milliseconds
 * after the commit: batches that close within that time are concurrent with the raise, and
 * their order was never defined.
 */
@Injectable()
export class LiveConditions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiveConditions.name);
  private readonly listens: boolean;
  /** Tells this instance's heartbeats from the others'. */
  private readonly token = randomUUID();
  private keys = new Set<string>();
  /** Keys heard while a full read runs: they join what it read. */
  private heardDuringReload?: Set<string>;
  private connection?: ListenConnection;
  /** Bumped whenever a connection is dropped: callbacks of older ones are ignored. */
  private epoch = 0;
  /** A full read finished on the current connection (and the set is not over its bound). */
  private complete = false;
  /** When the latest heartbeat heard back (or full read) was sent: everything committed before is known. */
  private answeredAt = 0;
  private beatSeq = 0;
  private beatSent?: { payload: string; at: number };
  private reloadAt = 0;
  private retryAt = 0;
  private retryMs = RETRY_MIN_MS;
  private connecting = false;
  private wasLost = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    @Inject(DATABASE_SETTINGS) settings: DatabaseSettings,
  ) {
    this.listens = driverOf(settings) === 'postgresql';
  }

  onApplicationBootstrap(): void {
    if (!this.listens) return;
    this.timer = setInterval(() => this.watch(), HEARTBEAT_EVERY_MS);
    this.timer.unref();
    void this.open();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.drop();
  }

  /** Whether the set knows every live key right now (else every key counts as live). */
  trusted(now = Date.now()): boolean {
    return this.complete && now - this.answeredAt < TRUST_WINDOW_MS;
  }

  /** False only when no instance can have a live row for `key`. */
  mayBeLive(key: string, now = Date.now()): boolean {
    return !this.trusted(now) || this.keys.has(key);
  }

  /**
   * Keys the transaction of `em` makes live (a new condition alert, a new rule state): known here
   * at once, and announced to every instance (this one too) when it commits.
   */
  async announce(em: EntityManager, keys: Iterable<string>): Promise<void> {
    if (!this.listens) return;
    const list = [...new Set(keys)];
    if (list.length === 0) return;
    this.add(list);
    for (const payload of payloads(list)) await queryRows(em, 'select pg_notify(?, ?)', [LIVE_CONDITIONS_CHANNEL, payload]);
  }

  private add(keys: Iterable<string>): void {
    for (const key of keys) {
      this.keys.add(key);
      this.heardDuringReload?.add(key);
    }
    if (this.keys.size > MAX_KEYS) {
      // Too many to keep: every key counts as live until a full read fits again.
      this.complete = false;
      this.keys = new Set();
    }
  }

  /** Every heartbeat interval: reconnect when due, drop a listener that stopped answering. */
  private watch(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.connection) {
      if (!this.connecting && now >= this.retryAt) void this.open();
      return;
    }
    if (now - this.answeredAt > DEAD_AFTER_MS) this.lose(this.epoch, new Error(`the listener has not answered for ${DEAD_AFTER_MS} ms`));
  }

  private async open(): Promise<void> {
    if (this.connecting || this.stopped) return;
    this.connecting = true;
    const epoch = this.epoch;
    let connection: ListenConnection | undefined;
    try {
      connection = await this.acquire();
      if (epoch !== this.epoch || this.stopped) {
        void connection.end().catch(() => undefined);
        return;
      }
      connection.on('notification', (message) => {
        if (epoch !== this.epoch || message.channel !== LIVE_CONDITIONS_CHANNEL || !message.payload) return;
        if (!message.payload.startsWith(HEARTBEAT_PREFIX)) this.add(message.payload.split('\n'));
        else if (message.payload === this.beatSent?.payload) this.answeredAt = Math.max(this.answeredAt, this.beatSent.at);
      });
      connection.on('error', (error) => this.lose(epoch, error));
      connection.on('end', () => this.lose(epoch, new Error('the listener connection ended')));
      this.connection = connection;
      this.answeredAt = Date.now();
      await connection.query(`listen ${LIVE_CONDITIONS_CHANNEL}`);
      await this.reload(epoch, connection);
      if (epoch !== this.epoch) return;
      this.retryMs = RETRY_MIN_MS;
      if (this.wasLost) this.logger.log({ keys: this.keys.size }, 'live-condition listener restored');
      this.wasLost = false;
      void this.beat(epoch, connection);
    } catch (error: unknown) {
      if (connection && !this.connection) void connection.end().catch(() => undefined);
      this.lose(epoch, error);
    } finally {
      this.connecting = false;
    }
  }

  /** A connection of its own (not the pool's: it keeps listening), with the ORM's settings; bounded, a late one is closed. */
  private acquire(): Promise<ListenConnection> {
    return openListenConnection(this.em, DEAD_AFTER_MS);
  }

  /** Heartbeats and periodic full reads, one at a time, for as long as the connection is current. */
  private async beat(epoch: number, connection: ListenConnection): Promise<void> {
    try {
      while (epoch === this.epoch && !this.stopped) {
        await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_EVERY_MS).unref());
        if (epoch !== this.epoch) return;
        if (Date.now() >= this.reloadAt) await this.reload(epoch, connection);
        this.beatSeq += 1;
        const payload = `${HEARTBEAT_PREFIX}${this.token} ${this.beatSeq}`;
        this.beatSent = { payload, at: Date.now() };
        await queryRows(this.em.fork(), 'select pg_notify(?, ?)', [LIVE_CONDITIONS_CHANNEL, payload]);
      }
    } catch (error: unknown) {
      this.lose(epoch, error);
    }
  }

  /** Reads every live key; what is heard meanwhile joins it. */
  private async reload(epoch: number, connection: ListenConnection): Promise<void> {
    const heard = new Set<string>();
    this.heardDuringReload = heard;
    const sentAt = Date.now();
    try {
      const { rows } = await connection.query<{ live_conditions_key: string }>(RELOAD_SQL);
      if (epoch !== this.epoch) return;
      const keys = new Set(rows.map((r) => r.live_conditions_key));
      for (const key of heard) keys.add(key);
      this.keys = keys.size > MAX_KEYS ? new Set() : keys;
      this.complete = keys.size <= MAX_KEYS;
      this.answeredAt = sentAt;
      this.reloadAt = Date.now() + RELOAD_EVERY_MS;
    } finally {
      if (this.heardDuringReload === heard) this.heardDuringReload = undefined;
    }
  }

  /** The listener is gone or unusable: every key counts as live until a new one has read the set. */
  private lose(epoch: number, error: unknown): void {
    if (epoch !== this.epoch || this.stopped) return;
    if (!this.wasLost) this.logger.warn({ err: error }, 'live-condition listener lost; clearing by rule without it until it is back');
    this.wasLost = true;
    void this.drop();
    this.retryAt = Date.now() + this.retryMs;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }

  private async drop(): Promise<void> {
    this.epoch += 1;
    this.complete = false;
    this.keys = new Set();
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([connection.end().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }
}

/** NOTIFY payloads of newline-separated keys, each under PostgreSQL's limit. */
function payloads(keys: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const key of keys) {
    if (current.length > 0 && current.length + 1 + key.length > PAYLOAD_MAX_CHARS) {
      out.push(current);
      current = '';
    }
    current = current.length > 0 ? `${current}\n${key}` : key;
  }
  if (current.length > 0) out.push(current);
  return out;
}
