import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeviceDirectory } from './device-directory';
import { BatchItem, EventStore } from './event-store';
import { IngestAck, IngestMessage, IngestResult } from './ingest-message';
import { INGEST_SETTINGS, IngestSettings } from './ingest-settings';
import { IngestStats } from './ingest-stats';
import { CheckContext, CheckedMessage, checkMessage, checkTopic } from './message-checks';

interface Pending {
  message: IngestMessage;
  ack: IngestAck;
  arrivedAt: number;
}

/** Retry delays while the database fails: 100 ms doubling to 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 100 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Group commit. Messages from every source queue here; a batch closes at `batchMax` messages or
 * `batchWaitMs` after its first message, is checked (one device lookup for the batch) and
 * written in one transaction; only then is each message's ack called. While the database
 * fails nothing is acked and the batch is retried with capped backoff: the sources' pending
 * acks stop the brokers from sending more (back-pressure). Up to `concurrentBatches` batches
 * are written at once (PostgreSQL: 2, so the database and this process work in parallel; SQLite
 * has one writer), and the next one fills meanwhile.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger(IngestPipeline.name);
  private queue: Pending[] = [];
  private timer?: NodeJS.Timeout;
  /** Batches being written; up to settings.concurrentBatches. */
  private inFlight = 0;
  /** Messages in the batches being written. */
  private inFlightMessages = 0;
  /** How many messages the sources can have outstanding at most (unknown: unbounded). */
  private outstandingLimit = Number.POSITIVE_INFINITY;
  private accepting = false;
  /** Set on stop: close batches at once instead of waiting for them to fill. */
  private draining = false;
  /** Set when the stop deadline passed: a failing batch gives up, unacked (the broker redelivers). */
  private abandoned = false;
  private failingSince?: number;
  /** Wakes batches sleeping before a retry (on stop). */
  private readonly retryWakers = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly directory: DeviceDirectory,
    private readonly store: EventStore,
    private readonly stats: IngestStats,
  ) {}

  start(): void {
    this.accepting = true;
    this.draining = false;
    this.abandoned = false;
  }

  /** Messages waiting or being written. */
  get pending(): number {
    return this.queue.length + this.inFlightMessages;
  }

  /**
   * A source that can have at most `limit` messages unacknowledged at once (the subscriber:
   * connections × pending per connection) says so: once that many are queued or being written,
   * no more can arrive, so the batch closes at once instead of waiting out INGEST_BATCH_WAIT_MS.
   */
  limitOutstanding(limit: number): void {
    this.outstandingLimit = Math.max(1, limit);
  }

  get healthy(): boolean {
    return this.failingSince === undefined;
  }

  /** Queues a message; false when the pipeline is stopped (the caller must not ack it). */
  submit(message: IngestMessage, ack: IngestAck): boolean {
    if (!this.accepting) return false;
    this.queue.push({ message, ack, arrivedAt: Date.now() });
    this.kick();
    return true;
  }

  /**
   * Stops taking messages and flushes what is queued, within `timeoutMs`. Whatever is still
   * unwritten then (the database is down) stays unacknowledged and comes back from the broker.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.accepting = false;
    this.draining = true;
    this.kick();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.whenIdle(), deadline]);
    clearTimeout(timer);
    if (this.pending > 0) {
      this.logger.warn({ queued: this.queue.length, batchesInFlight: this.inFlight }, 'ingest stopped with messages unwritten; the broker will redeliver them');
    }
    this.abandoned = true;
    this.retryWakers.forEach((wake) => wake());
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    if (this.queue.length === 0) {
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      return;
    }
    if (this.inFlight >= this.settings.concurrentBatches) return;
    const wait = this.queue[0].arrivedAt + this.settings.batchWaitMs - Date.now();
    const full = this.queue.length >= this.settings.batchMax || this.queue.length + this.inFlightMessages >= this.outstandingLimit;
    if (full || wait <= 0 || this.draining) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.runBatch();
      // A full queue may fill a second batch at once.
      this.kick();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, wait);
    }
  }

  private async runBatch(): Promise<void> {
    const batch = this.queue.splice(0, this.settings.batchMax);
    this.inFlight += 1;
    this.inFlightMessages += batch.length;
    try {
      await this.commitWithRetry(batch);
    } finally {
      this.inFlight -= 1;
      this.inFlightMessages -= batch.length;
      this.kick();
    }
  }

  private async commitWithRetry(batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const results = await this.commit(batch);
        if (this.failingSince !== undefined) {
          this.logger.warn({ attempts: attempt, downMs: Date.now() - this.failingSince }, 'ingest batches commit again; acknowledging');
          this.failingSince = undefined;
        }
        this.stats.recordBatch(results);
        batch.forEach((pending, i) => this.ack(pending, results[i]));
        return;
      } catch (error: unknown) {
        this.stats.recordFailedAttempt();
        if (this.failingSince === undefined) {
          this.failingSince = Date.now();
          this.logger.error({ err: error, batch: batch.length }, 'ingest batch could not be committed; holding its messages unacknowledged and retrying');
        }
        if (this.abandoned) return;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            this.retryWakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, retryDelayMs(attempt));
          this.retryWakers.add(wake);
        });
        if (this.abandoned) return;
      }
    }
  }

  private async commit(batch: readonly Pending[]): Promise<IngestResult[]> {
    const now = Date.now();
    const topics = batch.map((p) => checkTopic(p.message));
    const devices = await this.directory.resolve(
      topics.flatMap((t) => (t.claimedCode !== undefined ? [t.claimedCode] : [])),
      now,
    );
    const context: CheckContext = { now, timeWindow: this.settings.timeWindow, pseudonymKey: this.settings.pseudonymKey };
    const items: BatchItem[] = batch.map(({ message }, i) => {
      const topic = topics[i];
      if (!topic.ok) {
        const device = topic.claimedCode !== undefined ? devices.get(topic.claimedCode) ?? undefined : undefined;
        return { message, checked: { ...topic.rejection, device } };
      }
      return { message, checked: this.check(message, () => checkMessage(message, topic.topic, devices.get(topic.claimedCode) ?? null, context)) };
    });
    return this.store.write(items, new Date(now));
  }

  /** A check that throws is a bug, but it must not stall the batch: the message is refused, the bug logged. */
  private check(message: IngestMessage, run: () => CheckedMessage): CheckedMessage {
    try {
      return run();
    } catch (error: unknown) {
      this.logger.error({ err: error, topic: message.topic }, 'ingest check failed; message refused');
      return { kind: 'rejected', reason: 'bad_envelope', detail: 'the message could not be checked' };
    }
  }

  private ack(pending: Pending, result: IngestResult): void {
    try {
      pending.ack(result);
    } catch (error: unknown) {
      this.logger.error({ err: error }, 'ingest ack callback failed');
    }
  }
}
