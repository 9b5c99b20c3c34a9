import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { APP_ENV, BaseEnv, WorkerEnv } from '@sc/config';
import type { JobIntent } from '@sc/messaging';
import { ChannelListener, DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { Outbox } from '@sc/core/outbox/outbox';
import { handToQueues, QueueSet } from '@sc/platform';
import { HANDOVER_TIMEOUT_MS, OutboxRow } from '@sc/core/outbox/job-handover';
import { OUTBOX_CHANNEL } from '@sc/core/outbox/outbox-channel';
import { Dialect, execute, inList, queryRows } from '@sc/core/telemetry/sql';
import { workerSettingsFrom } from '../worker-settings';

const MAX_BACKOFF_MS = 2000;
const FIRST_BACKOFF_MS = 50;
/** While LISTEN tells the relay about every commit, the poll is only a safety net: at most once a second. */
const LISTENING_POLL_MS = 1000;

export interface RelayStats {
  relayed: number;
  failedRounds: number;
  down: boolean;
}

/**
 * Hands committed outbox rows to BullMQ at once when a transaction commits: one of this process
 * (in memory), or on PostgreSQL one of any process (LISTEN/NOTIFY on OUTBOX_CHANNEL, see there);
 * otherwise every OUTBOX_POLL_MS (at most every second while the LISTEN connection is up).
 * Takes up to OUTBOX_BATCH_MAX rows in seq order (on PostgreSQL with FOR UPDATE SKIP LOCKED,
 * so several workers share the work), adds them, then deletes them.
 * If Redis fails the rows stay (attempts + 1) and the relay backs off up to ~2 s; nothing is
 * lost, and the deterministic job ids make a row relayed twice one job. Rows held by their
 * writer (handed over by it: Outbox.enqueueForHandover, direct deliveries) are skipped until
 * their hold ends, and do not wake it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly settings: WorkerEnv;
  private readonly dialect: Dialect;
  private stopping = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private unsubscribe?: () => void;
  /** A handover that timed out but may still complete: no second one is sent meanwhile. */
  private inflight?: Promise<unknown>;
  private backoffMs = 0;
  private outageSince?: number;
  private listener?: ChannelListener;
  private listenerUp = false;
  readonly stats: RelayStats = { relayed: 0, failedRounds: 0, down: false };

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    private readonly queues: QueueSet,
    @Inject(APP_ENV) env: BaseEnv,
    @Inject(DATABASE_SETTINGS) database: DatabaseSettings,
  ) {
    this.settings = workerSettingsFrom(env);
    this.dialect = driverOf(database);
    if (this.dialect === 'postgresql') {
      this.listener = new ChannelListener(em, {
        channel: OUTBOX_CHANNEL,
        owner: 'outbox relay',
        onNotify: () => this.wake(),
        onState: (listening) => {
          this.listenerUp = listening;
          // Back to the short poll at once when the connection is lost.
          if (!listening) this.wake();
        },
      });
    }
  }

  onApplicationBootstrap(): void {
    // While LISTEN is up, the commit's NOTIFY wakes the relay anyway: a second wake for the same
    // commit would only cost a round that finds nothing.
    this.unsubscribe = this.outbox.onCommitted(() => {
      if (!this.listenerUp) this.wake();
    });
    this.listener?.start();
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    await this.listener?.stop();
  }

  /** PostgreSQL: whether the LISTEN connection is up (commits of every process wake the relay). */
  get listening(): boolean {
    return this.listenerUp;
  }

  /** Look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      const relayed = await this.round();
      if (this.stopping) break;
      if (this.backoffMs > 0) await this.sleep(this.backoffMs, false);
      else if (relayed < this.settings.OUTBOX_BATCH_MAX && !this.woken) await this.sleep(this.listenerUp ? Math.max(LISTENING_POLL_MS, this.settings.OUTBOX_POLL_MS) : this.settings.OUTBOX_POLL_MS, true);
    }
  }

  /** One batch; returns how many rows went to BullMQ. Never throws. */
  private async round(): Promise<number> {
    try {
      const result = this.dialect === 'postgresql' ? await this.lockedRound() : await this.plainRound();
      if (result.error === undefined) {
        this.recovered();
        this.stats.relayed += result.relayed;
        return result.relayed;
      }
      this.failed(result.error, result.rows);
    } catch (error: unknown) {
      // The database itself failed (the rows are safe where they are).
      this.failed(error, 0);
    }
    return 0;
  }

  /** PostgreSQL: rows locked for this transaction only; other relays skip them. */
  private lockedRound(): Promise<{ relayed: number; rows: number; error?: unknown }> {
    return this.em.fork().transactional(async (em) => this.handOver(em, await this.nextRows(em, true)));
  }

  /** SQLite: one process, one writer; no transaction held open while Redis answers. */
  private async plainRound(): Promise<{ relayed: number; rows: number; error?: unknown }> {
    const em = this.em.fork();
    return this.handOver(em, await this.nextRows(em, false));
  }

  /**
   * The oldest rows as plain data: the relay only reads them, so no entities are built and
   * tracked. SQLite hands JSON back as text; the platform parses it as the ORM would.
   */
  private async nextRows(em: EntityManager, locked: boolean): Promise<OutboxRow[]> {
    const rows = await queryRows<{ seq: string | number; intent: unknown }>(
      em,
      `select seq, intent from outbox where available_at is null or available_at <= ? order by seq limit ?${locked ? ' for update skip locked' : ''}`,
      [new Date(), this.settings.OUTBOX_BATCH_MAX],
    );
    const platform = em.getPlatform();
    return rows.map((row) => ({ seq: String(row.seq), intent: platform.convertJsonToJSValue(row.intent) as JobIntent }));
  }

  private async handOver(em: EntityManager, rows: OutboxRow[]): Promise<{ relayed: number; rows: number; error?: unknown }> {
    if (rows.length === 0) return { relayed: 0, rows: 0 };
    const seqs = inList(this.dialect, 'seq', rows.map((r) => r.seq), 'bigint');
    try {
      await this.withTimeout(() => handToQueues(this.queues, rows, this.logger));
    } catch (error: unknown) {
      await execute(em, `update outbox set attempts = attempts + 1 where ${seqs.sql}`, seqs.bindings);
      return { relayed: 0, rows: rows.length, error };
    }
    await execute(em, `delete from outbox where ${seqs.sql}`, seqs.bindings);
    return { relayed: rows.length, rows: rows.length };
  }

  private async withTimeout<T>(start: () => Promise<T>): Promise<T> {
    if (this.inflight) throw new Error('the previous handover to Redis has not finished');
    const tracked = start().finally(() => {
      if (this.inflight === tracked) this.inflight = undefined;
    });
    this.inflight = tracked;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${HANDOVER_TIMEOUT_MS} ms`)), HANDOVER_TIMEOUT_MS);
    });
    try {
      return await Promise.race([tracked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(error: unknown, rows: number): void {
    this.stats.failedRounds += 1;
    this.backoffMs = Math.min(this.backoffMs === 0 ? FIRST_BACKOFF_MS : this.backoffMs * 2, MAX_BACKOFF_MS);
    if (this.outageSince !== undefined) return;
    this.outageSince = Date.now();
    this.stats.down = true;
    this.logger.warn({ err: error, rows }, 'outbox relay cannot hand jobs to Redis; the rows stay and are retried');
  }

  private recovered(): void {
    this.backoffMs = 0;
    if (this.outageSince === undefined) return;
    this.logger.log({ downMs: Date.now() - this.outageSince, failedRounds: this.stats.failedRounds }, 'outbox relay reaches Redis again');
    this.outageSince = undefined;
    this.stats.down = false;
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        if (wakeable || this.stopping) done();
      };
    });
  }
}
