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

/** One lane's queue and the batches it has being written. */
interface Lane {
  readonly name: IngestLane;
  /** Batches of this lane written at once. */
  readonly maxBatches: number;
  queue: Pending[];
  timer?: NodeJS.Timeout;
  inFlight: number;
  /** Messages in this lane's batches being written. */
  inFlightMessages: number;
  /** How many messages this lane's sources can have outstanding at most (unknown: unbounded). */
  outstandingLimit: number;
}

/** Retry delays while the database fails: 100 ms doubling to 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 100 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Group commit in two lanes. Messages from every source queue here, device events (alarms,
 * access control) in the event lane and everything else in the routine lane (`ingestLaneOf`);
 * a batch takes messages of one lane, closes at `batchMax` messages or `batchWaitMs` after its
 * first message, is checked (one device lookup for the batch) and written in one transaction;
 * only then is each message's ack called. While the database fails nothing is acked and the
 * batch is retried with capped backoff: the sources' pending acks stop the brokers from sending
 * more (back-pressure).
 *
 * Up to `concurrentBatches` batches are written at once (PostgreSQL: 3, so the database and
 * this process work in parallel; SQLite has one writer). One of them is the event lane's: an
 * alarm never waits for a backlog of telemetry to be written, however deep it is; the routine
 * lane has the rest. With a single writer the lanes share it and the event lane goes first.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger(IngestPipeline.name);
  /** In priority order: the event lane is served first. */
  private readonly lanes: readonly Lane[];
  private readonly laneByName: Readonly<Record<IngestLane, Lane>>;
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
  ) {
    const lane = (name: IngestLane, maxBatches: number): Lane => ({ name, maxBatches, queue: [], inFlight: 0, inFlightMessages: 0, outstandingLimit: Number.POSITIVE_INFINITY });
    const event = lane('event', 1);
    const routine = lane('routine', Math.max(1, settings.concurrentBatches - 1));
    this.lanes = [event, routine];
    this.laneByName = { event, routine };
  }

  start(): void {
    this.accepting = true;
    this.draining = false;
    this.abandoned = false;
  }

  /** Messages waiting or being written. */
  get pending(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.queue.length + lane.inFlightMessages, 0);
  }

  /** Messages waiting or being written, per lane. */
  pendingByLane(): Record<IngestLane, number> {
    const pending = { event: 0, routine: 0 };
    for (const lane of this.lanes) pending[lane.name] = lane.queue.length + lane.inFlightMessages;
    return pending;
  }

  /** Batches being written, both lanes. */
  private get inFlight(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.inFlight, 0);
  }

  /**
   * A source that can have at most `limit` messages of a lane unacknowledged at once (the
   * subscriber: that lane's connections × pending per connection) says so: once that many are
   * queued or being written, no more can arrive, so the batch closes at once instead of waiting
   * out INGEST_BATCH_WAIT_MS.
   */
  limitOutstanding(lane: IngestLane, limit: number): void {
    this.laneByName[lane].outstandingLimit = Math.max(1, limit);
  }

  get healthy(): boolean {
    return this.failingSince === undefined;
  }

  /** Queues a message; false when the pipeline is stopped (the caller must not ack it). */
  submit(message: IngestMessage, ack: IngestAck): boolean {
    if (!this.accepting) return false;
    this.laneByName[ingestLaneOf(message.topic)].queue.push({ message, ack, arrivedAt: Date.now() });
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
    for (const lane of this.lanes) {
      lane.queue = [];
      if (lane.timer) clearTimeout(lane.timer);
      lane.timer = undefined;
    }
  }

  private whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts every batch that may start, lanes in priority order. */
  private kick(): void {
    for (const lane of this.lanes) this.kickLane(lane);
    if (this.pending === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private kickLane(lane: Lane): void {
    while (lane.queue.length > 0 && lane.inFlight < lane.maxBatches && this.inFlight < this.settings.concurrentBatches) {
      const wait = lane.queue[0].arrivedAt + this.settings.batchWaitMs - Date.now();
      const full = lane.queue.length >= this.settings.batchMax || lane.queue.length + lane.inFlightMessages >= lane.outstandingLimit;
      if (!full && wait > 0 && !this.draining) {
        lane.timer ??= setTimeout(() => {
          lane.timer = undefined;
          this.kick();
        }, wait);
        return;
      }
      if (lane.timer) clearTimeout(lane.timer);
      lane.timer = undefined;
      // Takes its messages and counts itself in before its first await: the loop sees it.
      void this.runBatch(lane);
    }
  }

  private async runBatch(lane: Lane): Promise<void> {
    const batch = lane.queue.splice(0, this.settings.batchMax);
    lane.inFlight += 1;
    lane.inFlightMessages += batch.length;
    try {
      await this.commitWithRetry(batch);
    } finally {
      lane.inFlight -= 1;
      lane.inFlightMessages -= batch.length;
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
