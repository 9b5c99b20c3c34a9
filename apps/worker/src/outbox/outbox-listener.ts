import { Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { ListenConnection, openListenConnection } from '@sc/database';
import { OUTBOX_CHANNEL } from '@sc/core/outbox/outbox-channel';

/** Wait before reconnecting after the listening connection broke (the relay polls fast meanwhile). */
const RECONNECT_MS = 1000;
/** A connection attempt that takes longer is given up and tried again. */
const CONNECT_WITHIN_MS = 10_000;

/**
 * PostgreSQL only: one connection of its own that LISTENs on the outbox channel. A trigger on
 * the outbox table notifies at the commit of every transaction that inserted rows, in any
 * process (the ingest's alerts, the API's changes), so the relay hands them over at once instead
 * of polling for them. `onState(false)` while the connection is down: the relay then polls at
 * its short interval until it is back; a reconnect also counts as a notification (one may have
 * been missed).
 */
export class OutboxListener {
  private readonly logger = new Logger(OutboxListener.name);
  private client?: ListenConnection;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private listening = false;

  constructor(
    private readonly em: EntityManager,
    private readonly onNotify: () => void,
    private readonly onState: (listening: boolean) => void,
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
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error: unknown) {
      this.lost(client, error);
      return;
    }
    if (this.stopped || this.client !== client) {
      // Stopped (or lost) while it was being set up: this connection is nobody's.
      await client.end().catch(() => undefined);
      return;
    }
    if (!this.listening) this.logger.log({ channel: OUTBOX_CHANNEL }, 'outbox relay listens for commits');
    this.listening = true;
    this.onState(true);
    this.onNotify();
  }

  private lost(client: ListenConnection, error?: unknown): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    if (this.listening) this.logger.warn({ err: error }, 'outbox relay lost its LISTEN connection; polling until it is back');
    this.listening = false;
    this.onState(false);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
  }
}
