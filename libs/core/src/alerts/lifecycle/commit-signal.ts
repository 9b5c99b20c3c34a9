import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';

type Callback = () => void;

/**
 * Work to do once a transaction has committed, for code that writes inside a transaction it
 * does not own (the engine runs in the ingest's): waking the outbox relay, remembering what is
 * now in the database. Registered on the ORM's afterTransactionCommit event; a rolled-back
 * transaction runs nothing.
 */
@Injectable()
export class CommitHooks implements OnModuleInit, OnModuleDestroy {
  private readonly pending = new WeakMap<object, Callback[]>();
  private active = false;
  private readonly subscriber: EventSubscriber = {
    afterTransactionCommit: (args: TransactionEventArgs) => {
      const trx = args.transaction as object | undefined;
      const callbacks = trx ? this.pending.get(trx) : undefined;
      if (!trx || !callbacks) return;
      this.pending.delete(trx);
      if (this.active) for (const callback of callbacks) callback();
    },
  };

  constructor(private readonly em: EntityManager) {}

  onModuleInit(): void {
    this.active = true;
    // Transactional forks clone the event manager, subscribers included, so registering once on the root reaches them all.
    this.em.getEventManager().registerSubscriber(this.subscriber);
  }

  onModuleDestroy(): void {
    this.active = false;
  }

  /** Runs `callback` when the transaction of `em` commits (at once when `em` has none). */
  onCommit(em: EntityManager, callback: Callback): void {
    const trx = em.getTransactionContext<object>();
    if (!trx) {
      callback();
      return;
    }
    const callbacks = this.pending.get(trx);
    if (callbacks) callbacks.push(callback);
    else this.pending.set(trx, [callback]);
  }
}
