import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import type { JobIntent } from '@sc/messaging';
import { entityInsertStatements } from '../shared/insert-rows';
import { PlannedWrites } from '../shared/planned-writes';
import { Dialect, inList, runTogether, Statement } from '../telemetry/sql';
import { settlesWithin } from '../shared/settles-within';
import { OutboxEntry } from './entities/outbox-entry.entity';
import { HANDOVER_TIMEOUT_MS, JobHandover, OutboxRow } from './job-handover';

type Listener = () => void;

/**
 * How long rows handed over by their writer stay held: long enough for a slow Redis answer
 * (HANDOVER_TIMEOUT_MS) and the settling statement; if the writer dies first, the relay hands
 * them over this much later.
 */
export const HANDOVER_HOLD_MS = 15_000;
/** How long shutdown waits for handovers still running (their rows are relayed later otherwise). */
const HANDOVER_DRAIN_MS = 6000;

/**
 * Jobs decided inside a transaction: written with it, relayed to BullMQ after commit by the
 * worker's OutboxRelay. `committed()` tells a relay in the same process to look now instead of
 * at its next poll (the all-in-one and the worker itself), which keeps the latency low; the
 * poll is what guarantees delivery. A process with queues of its own (JobHandover) can hand
 * the jobs of a transaction over itself, right after the commit (enqueueForHandover).
 */
@Injectable()
export class Outbox implements BeforeApplicationShutdown {
  private readonly logger = new Logger(Outbox.name);
  private readonly listeners = new Set<Listener>();
  private readonly dialect: Dialect;
  private readonly handovers = new Set<Promise<void>>();
  /** Handovers fail while Redis is away: logged once, when it starts and when it ends. */
  private handoverFailingSince?: number;

  constructor(
    @Inject(DATABASE_SETTINGS) settings: DatabaseSettings,
    private readonly em: EntityManager,
    @Optional() private readonly handover?: JobHandover,
  ) {
    this.dialect = driverOf(settings);
  }

  /** Handovers still running finish (within a bound) before the queues close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.handovers.size > 0) await settlesWithin(Promise.allSettled([...this.handovers]), HANDOVER_DRAIN_MS);
  }

  /**
   * enqueue(), for jobs that should reach their queues at once: with a JobHandover in this
   * process the rows are held (the relay leaves them alone) and the returned function, called
   * after the commit, hands them to Redis and deletes them, or releases them to the relay when
   * Redis cannot take them. No relay round between the commit and the queue, and the relay
   * still guarantees them: a writer that dies first leaves them held for HANDOVER_HOLD_MS.
   * Without a JobHandover it is enqueue() and the function wakes a relay in this process.
   */
  async enqueueForHandover(em: EntityManager, intents: readonly JobIntent[]): Promise<() => void> {
    const writes = new PlannedWrites();
    const handOver = this.planForHandover(em, writes, intents);
    await writes.run(em, this.dialect);
    return handOver;
  }

  /** enqueueForHandover() as a write sent with the transaction's others (PlannedWrites); call the function after the commit. */
  planForHandover(em: EntityManager, writes: PlannedWrites, intents: readonly JobIntent[]): () => void {
    if (intents.length === 0) return () => undefined;
    const handover = this.handover;
    if (!handover) {
      this.plan(em, writes, intents);
      return () => this.committed();
    }
    let rows: OutboxRow[] = [];
    this.plan(em, writes, intents, { holdUntil: new Date(Date.now() + HANDOVER_HOLD_MS) }, (seqs) => {
      rows = seqs.map((seq, i) => ({ seq, intent: intents[i] }));
    });
    return () => {
      const run = this.handOver(handover, rows);
      this.handovers.add(run);
      void run.finally(() => this.handovers.delete(run));
    };
  }

  /** Never throws: rows that could not be settled stay held, and the relay hands them over when the hold ends (same job ids: one job). */
  private async handOver(handover: JobHandover, rows: readonly OutboxRow[]): Promise<void> {
    const seqs = rows.map((row) => row.seq);
    let handed = false;
    try {
      const handing = handover.handOver(rows);
      if (!(await settlesWithin(handing, HANDOVER_TIMEOUT_MS))) throw new Error(`Redis did not take the jobs within ${HANDOVER_TIMEOUT_MS} ms`);
      await handing;
      handed = true;
      if (this.handoverFailingSince !== undefined) {
        this.logger.log({ downMs: Date.now() - this.handoverFailingSince }, 'jobs are handed to their queues again');
        this.handoverFailingSince = undefined;
      }
    } catch (error: unknown) {
      if (this.handoverFailingSince === undefined) {
        this.handoverFailingSince = Date.now();
        this.logger.warn({ err: error, jobs: rows.length }, 'could not hand jobs to their queues; the outbox relay takes them over until Redis is back');
      }
    }
    try {
      await this.settle(this.em.fork(), handed ? { done: seqs, release: [] } : { done: [], release: seqs });
      if (!handed) this.committed();
    } catch (error: unknown) {
      this.logger.warn({ err: error, jobs: rows.length }, 'could not settle handed-over jobs; the outbox relay takes them when their hold ends');
    }
  }

  /**
   * Writes the intents in the caller's transaction and returns their rows' seqs, in order.
   * `holdUntil`: the relay leaves the rows alone until then (see `settle`).
   */
  async enqueue(em: EntityManager, intents: readonly JobIntent[], options: { holdUntil?: Date } = {}): Promise<string[]> {
    const writes = new PlannedWrites();
    let seqs: string[] = [];
    this.plan(em, writes, intents, options, (written) => (seqs = written));
    await writes.run(em, this.dialect);
    return seqs;
  }

  /**
   * enqueue() as a write sent with the transaction's others (PlannedWrites): `seqs` gets the rows'
   * seqs, in order, when the writes run.
   */
  plan(em: EntityManager, writes: PlannedWrites, intents: readonly JobIntent[], options: { holdUntil?: Date } = {}, seqs?: (seqs: string[]) => void): void {
    if (intents.length === 0) {
      seqs?.([]);
      return;
    }
    const now = new Date();
    const statements = entityInsertStatements(
      em,
      this.dialect,
      OutboxEntry,
      intents.map((intent) => ({ intent, createdAt: now, attempts: 0, availableAt: options.holdUntil ?? null })),
      // As text: through runTogether's JSON a bigint would come back as a JS number.
      { returning: ['cast(seq as text) as seq'] },
    );
    writes.add(statements, (rows) =>
      seqs?.(
        // Seqs are drawn in row order; RETURNING's row order is not promised, so sort them back.
        rows
          .map((row) => BigInt(String(row.seq)))
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
          .map(String),
      ),
    );
  }

  /**
   * Held rows whose jobs their writer ran itself: `done` ones are deleted (nothing left to
   * relay), `release`d ones are handed to the relay now (the job is retried through its queue);
   * as with enqueue, call `committed()` after the commit when some were released.
   */
  async settle(em: EntityManager, seqs: { done: readonly string[]; release: readonly string[] }): Promise<void> {
    await runTogether(em, this.dialect, this.settleStatements(seqs));
  }

  /** settle() as statements to send with others (runTogether). */
  settleStatements(seqs: { done: readonly string[]; release: readonly string[] }): Statement[] {
    const statements: Statement[] = [];
    if (seqs.done.length > 0) {
      const done = inList(this.dialect, 'seq', seqs.done, 'bigint');
      statements.push({ sql: `delete from outbox where ${done.sql}`, bindings: done.bindings });
    }
    if (seqs.release.length > 0) {
      const release = inList(this.dialect, 'seq', seqs.release, 'bigint');
      statements.push({ sql: `update outbox set available_at = null where ${release.sql}`, bindings: release.bindings });
    }
    return statements;
  }

  /** The job ids of rows still held by their writers (it is running those jobs itself). */
  async heldJobIds(em: EntityManager, now = new Date()): Promise<Set<string>> {
    const rows = await em.find(OutboxEntry, { availableAt: { $gt: now } }, { fields: ['intent'] });
    return new Set(rows.map((row) => row.intent.jobId));
  }

  /** Call after the transaction that enqueued has committed. */
  committed(): void {
    for (const listener of this.listeners) listener();
  }

  onCommitted(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
