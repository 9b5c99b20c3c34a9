import { Inject, Injectable, Logger } from '@nestjs/common';
import { IngestLane, ingestLaneOf } from '@sc/messaging/mqtt/topics';
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
 * Group commit. Messages from every source queue here, device events (alarms, access control)
 * apart from everything else (`ingestLaneOf`). A batch closes at `batchMax` messages or
 * `batchWaitMs` after its oldest message, is checked (one device lookup for the batch) and
 * written in one transaction; only then is each message's ack called. While the database fails
 * nothing is acked and the batch is retried with capped backoff: the sources' pending acks stop
 * the brokers from sending more (back-pressure). Up to `concurrentBatches` batches are written
 * at once (PostgreSQL: 2, so the database and this process work in parallel; SQLite has one
 * writer), and the next one fills meanwhile.
 *
 * Events go first: every batch takes the queued events before any telemetry, so however deep a
 * backlog of telemetry gets, an alarm waits at most for the batches already being written. (The
 * sources keep them apart on the wire too: on an external broker events come through a shared
 * subscription and connections of their own.) They share the batches rather than having
 * batches of their own: measured in bench:alerts, separate event batches in a third slot cost
 * the routing downstream more than they saved while the ingest kept up.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger(IngestPipeline.name);
  private readonly queues: Record<IngestLane, Pending[]> = { event: [], routine: [] };
  private timer?: NodeJS.Timeout;
  /** Batches being written; up to settings.concurrentBatches. */
  private inFlight = 0;
  /** Messages in the batches being written, per lane. */
  private readonly inFlightMessages: Record<IngestLane, number> = { event: 0, routine: 0 };
  /** How many messages each lane's sources can have outstanding at most (unknown: unbounded). */
  private readonly outstandingLimits: Record<IngestLane, number> = { event: Number.POSITIVE_INFINITY, routine: Number.POSITIVE_INFINITY };
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
    const { event, routine } = this.pendingByLane();
    return event + routine;
  }

  /** Messages waiting or being written, per lane. */
  pendingByLane(): Record<IngestLane, number> {
    return {
      event: this.queues.event.length + this.inFlightMessages.event,
      routine: this.queues.routine.length + this.inFlightMessages.routine,
    };
  }

  /**
   * A source that can have at most `limit` messages of a lane unacknowledged at once (the
   * subscriber: that lane's connections × pending per connection) says so: once as many as all
   * lanes may hold are queued or being written, no more can arrive, so the batch closes at once
   * instead of waiting out INGEST_BATCH_WAIT_MS.
   */
  limitOutstanding(lane: IngestLane, limit: number): void {
    this.outstandingLimits[lane] = Math.max(1, limit);
  }

  get healthy(): boolean {
    return this.failingSince === undefined;
  }

  /** Queues a message; false when the pipeline is stopped (the caller must not ack it). */
  submit(message: IngestMessage, ack: IngestAck): boolean {
    if (!this.accepting) return false;
    this.queues[ingestLaneOf(message.topic)].push({ message, ack, arrivedAt: Date.now() });
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
      this.logger.warn({ queued: this.pendingByLane(), batchesInFlight: this.inFlight }, 'ingest stopped with messages unwritten; the broker will redeliver them');
    }
    this.abandoned = true;
    this.retryWakers.forEach((wake) => wake());
    this.queues.event = [];
    this.queues.routine = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    const { event, routine } = this.queues;
    const queued = event.length + routine.length;
    if (queued === 0) {
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      return;
    }
    if (this.inFlight >= this.settings.concurrentBatches) return;
    const oldest = Math.min(event[0]?.arrivedAt ?? Number.POSITIVE_INFINITY, routine[0]?.arrivedAt ?? Number.POSITIVE_INFINITY);
    const wait = oldest + this.settings.batchWaitMs - Date.now();
    const outstandingLimit = this.outstandingLimits.event + this.outstandingLimits.routine;
    const full = queued >= this.settings.batchMax || queued + this.inFlightMessages.event + this.inFlightMessages.routine >= outstandingLimit;
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
    // The events first, then telemetry and the rest up to the batch size.
    const events = this.queues.event.splice(0, this.settings.batchMax);
    const batch = [...events, ...this.queues.routine.splice(0, this.settings.batchMax - events.length)];
    const routine = batch.length - events.length;
    this.inFlight += 1;
    this.inFlightMessages.event += events.length;
    this.inFlightMessages.routine += routine;
    try {
      await this.commitWithRetry(batch);
    } finally {
      this.inFlight -= 1;
      this.inFlightMessages.event -= events.length;
      this.inFlightMessages.routine -= routine;
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
