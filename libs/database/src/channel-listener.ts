import { Logger } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/knex';
import { ListenConnection, openListenConnection } from './listen-connection';

/** Wait before reconnecting after the listening connection broke. */
const RECONNECT_MS = 1000;
/** A connection attempt that takes longer is given up and tried again. */
const CONNECT_WITHIN_MS = 10_000;

export interface ChannelListenerOptions {
  /** The PostgreSQL channel (a plain identifier). */
  channel: string;
  /** Who listens, for the log lines ("outbox relay"). */
  owner: string;
  /** A notification arrived; also called once after every (re)connect, since one may have been missed meanwhile. */
  onNotify: (payload: string | undefined) => void;
  /** true once the connection listens, false whenever it is lost (and until it is back). */
  onState: (listening: boolean) => void;
}

/**
 * PostgreSQL only: one connection of its own (outside the pool) that LISTENs on one channel
 * for as long as its owner runs, reconnecting every second after it broke. What the owner does
 * meanwhile is its own choice (the outbox relay polls fast, the reference cache stops caching):
 * `onState` tells it.
 */
export class ChannelListener {
  private readonly logger = new Logger(ChannelListener.name);
  private client?: ListenConnection;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private listening = false;

  constructor(
    private readonly em: EntityManager,
    private readonly options: ChannelListenerOptions,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { channel, owner } = this.options;
    let client: ListenConnection;
    try {
      client = await openListenConnection(this.em, CONNECT_WITHIN_MS);
    } catch (error: unknown) {
      this.retryLater(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === channel) this.options.onNotify(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (error: unknown) {
      this.lost(client, error);
      return;
    }
    if (this.stopped || this.client !== client) {
      // Stopped (or lost) while it was being set up: this connection is nobody's.
      await client.end().catch(() => undefined);
      return;
    }
    if (!this.listening) this.logger.log({ channel }, `${owner} listens`);
    this.listening = true;
    this.options.onState(true);
    this.options.onNotify(undefined);
  }

  private lost(client: ListenConnection, error?: unknown): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    if (this.listening) this.logger.warn({ err: error, channel: this.options.channel }, `${this.options.owner} lost its LISTEN connection; retrying every second`);
    this.listening = false;
    this.options.onState(false);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
  }
}
