import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import type { JobIntent } from '@sc/messaging';
import { insertEntities } from '../shared/insert-rows';
import { Dialect } from '../telemetry/sql';
import { OutboxEntry } from './entities/outbox-entry.entity';

type Listener = () => void;

/**
 * Jobs decided inside a transaction: written with it, relayed to BullMQ after commit by the
 * worker's OutboxRelay. `committed()` tells a relay in the same process to look now instead of
 * at its next poll (the all-in-one and the worker itself), which keeps the latency low; the
 * poll is what guarantees delivery.
 */
@Injectable()
export class Outbox {
  private readonly listeners = new Set<Listener>();
  private readonly dialect: Dialect;

  constructor(@Inject(DATABASE_SETTINGS) settings: DatabaseSettings) {
    this.dialect = driverOf(settings);
  }

  /**
   * Writes the intents in the caller's transaction and returns their rows' seqs, in order.
   * `holdUntil`: the relay leaves the rows alone until then (see `settle`).
   */
  async enqueue(em: EntityManager, intents: readonly JobIntent[], options: { holdUntil?: Date } = {}): Promise<string[]> {
    if (intents.length === 0) return [];
    const now = new Date();
    const rows = await insertEntities<OutboxEntry, { seq: string | number }>(
      em,
      this.dialect,
      OutboxEntry,
      intents.map((intent) => ({ intent, createdAt: now, attempts: 0, availableAt: options.holdUntil ?? null })),
      { returning: ['seq'] },
    );
    // Seqs are drawn in row order; RETURNING's row order is not promised, so sort them back.
    return rows
      .map((row) => BigInt(row.seq))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map(String);
  }

  /**
   * Held rows whose jobs their writer ran itself: `done` ones are deleted (nothing left to
   * relay), `release`d ones are handed to the relay now (the job is retried through its queue);
   * as with enqueue, call `committed()` after the commit when some were released.
   */
  async settle(em: EntityManager, seqs: { done: readonly string[]; release: readonly string[] }): Promise<void> {
    if (seqs.done.length > 0) await em.nativeDelete(OutboxEntry, { seq: { $in: [...seqs.done] } });
    if (seqs.release.length > 0) await em.nativeUpdate(OutboxEntry, { seq: { $in: [...seqs.release] } }, { availableAt: null });
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
