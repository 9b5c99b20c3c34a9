import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import type { JobIntent } from '@sc/messaging';
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

  async enqueue(em: EntityManager, intents: readonly JobIntent[]): Promise<void> {
    if (intents.length === 0) return;
    await em.insertMany(
      OutboxEntry,
      intents.map((intent) => ({ intent, createdAt: new Date(), attempts: 0 })),
    );
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
