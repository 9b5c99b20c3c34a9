import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { EntityClass, EntityData, EventSubscriber, FlushEventArgs, helper } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { ChannelListener, DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';

/**
 * The channel a statement-level trigger on every reference table notifies at the commit of a
 * change (migration reference_notify): org units, compounds, property companies, buildings, grid
 * workers, routing and SLA policies, delivery targets.
 */
export const REFERENCE_CHANNEL = 'sc_reference';

/** What the cache holds, one namespace of keys each. */
export type ReferenceKind =
  | 'org_unit'
  | 'compound'
  | 'grid_of_compound'
  | 'active_grid_worker'
  | 'routing_policy'
  | 'sla_policies'
  | 'delivery_targets';

/** The tables of REFERENCE_CHANNEL's trigger (migration reference_notify). */
export const REFERENCE_TABLES: ReadonlySet<string> = new Set(['org_units', 'compounds', 'property_companies', 'buildings', 'grid_workers', 'routing_policies', 'sla_policies', 'delivery_targets']);
/** After this process flushed a change to reference data, nothing is kept until the commit's notification is heard, or this long (a rollback sends none). */
const PAUSE_AFTER_OWN_CHANGE_MS = 2000;
/** More entries than this and the cache starts over (a city has tens of thousands of grids and compounds). */
const MAX_ENTRIES = 200_000;
/** A key read and found to have no row. */
const ABSENT = Symbol('absent');

/**
 * The reference data that routing and notifying read for every batch of alerts (who manages a
 * compound, a grid's worker on duty, the policies, the delivery targets) changes a few times a
 * day, but read from the database it was a third of a routing batch's statements. This keeps
 * what was read, per key, in memory, and forgets all of it whenever any of it changes anywhere:
 * on PostgreSQL a trigger on each reference table NOTIFYs REFERENCE_CHANNEL at commit, and the
 * cache listens (from its first read on). It only caches while it listens (so never on SQLite, and not while the LISTEN
 * connection is down or reconnecting: every read then goes to the database, as before). A read
 * that began before a change was heard is used but not kept, so a notification can never be
 * overtaken by the stale read it invalidates. Data read inside a transaction that changed the same
 * rows and then rolled back would be kept until the next change; no writer of reference data
 * routes in its own transaction. Changes this process flushes through the ORM inside a
 * transaction also pause the cache until the next notification (normally their commit's; at most
 * PAUSE_AFTER_OWN_CHANGE_MS), so this process reads its own writes at once, not a few
 * milliseconds later.
 */
@Injectable()
export class ReferenceCache implements OnModuleDestroy, EventSubscriber {
  private readonly entries = new Map<string, unknown>();
  private readonly listener?: ChannelListener;
  private generation = 0;
  private live = false;
  private started = false;
  private pausedUntil = 0;

  constructor(em: EntityManager, @Inject(DATABASE_SETTINGS) settings: DatabaseSettings) {
    if (driverOf(settings) !== 'postgresql') return;
    em.getEventManager().registerSubscriber(this);
    this.listener = new ChannelListener(em, {
      channel: REFERENCE_CHANNEL,
      owner: 'reference cache',
      onNotify: () => {
        this.pausedUntil = 0;
        this.invalidate();
      },
      onState: (listening) => {
        this.live = listening;
        this.invalidate();
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.live = false;
    await this.listener?.stop();
  }

  /** Whether reads are kept (PostgreSQL, LISTEN connection up, no own change waiting for its notification). */
  get caching(): boolean {
    return this.live && Date.now() >= this.pausedUntil;
  }

  /**
   * This process changed reference data: forget; inside a transaction also keep nothing until
   * the commit's notification (a flush outside one has committed already: forgetting is enough).
   */
  afterFlush(args: FlushEventArgs): void {
    if (!args.uow.getChangeSets().some((change) => REFERENCE_TABLES.has(change.meta.tableName))) return;
    if (args.em.isInTransaction()) this.pausedUntil = Date.now() + PAUSE_AFTER_OWN_CHANGE_MS;
    this.invalidate();
  }

  /** Listens from the first read on: a process that never reads reference data holds no connection for it. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    this.listener?.start();
  }

  /** Whether a value (or its absence) for the key is kept now. */
  has(kind: ReferenceKind, key: string): boolean {
    return this.caching && this.entries.has(`${kind}:${key}`);
  }

  /** Every key forgotten: something changed (or may have, while nobody listened). */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /**
   * Values by key: the cached ones, and what `load` reads for the rest (a key it leaves out has
   * no value, which is cached too). Callers must not change the values they get.
   */
  async get<V>(kind: ReferenceKind, keys: Iterable<string>, load: (missing: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
    this.start();
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const entry = this.caching ? this.entries.get(`${kind}:${key}`) : undefined;
      if (entry === undefined) missing.push(key);
      else if (entry !== ABSENT) found.set(key, entry as V);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const loaded = await load(missing);
    const keep = this.caching && generation === this.generation;
    if (keep && this.entries.size + missing.length > MAX_ENTRIES) this.entries.clear();
    for (const key of missing) {
      const value = loaded.get(key);
      if (value !== undefined) found.set(key, value);
      if (keep) this.entries.set(`${kind}:${key}`, value === undefined ? ABSENT : value);
    }
    return found;
  }

  /**
   * Entities by key in `em`: those `find` reads, or built from the data cached of an earlier read
   * (helper.toPOJO, populated relations included; rebuilt as loaded entities the way MikroORM's
   * own result cache does it, without a query).
   */
  async entities<T extends object>(
    em: EntityManager,
    entity: EntityClass<T>,
    kind: ReferenceKind,
    keys: Iterable<string>,
    find: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    if (!this.caching) {
      // Nothing would be kept: read, without making data to cache.
      this.start();
      const wanted = [...new Set(keys)];
      return wanted.length > 0 ? find(wanted) : new Map();
    }
    const read = new Map<string, T>();
    const data = await this.get<EntityData<T>>(kind, keys, async (missing) => {
      const rows = await find(missing);
      const pojos = new Map<string, EntityData<T>>();
      for (const [key, row] of rows) {
        read.set(key, row);
        pojos.set(key, helper(row).toPOJO() as EntityData<T>);
      }
      return pojos;
    });
    const factory = em.getEntityFactory();
    const result = new Map<string, T>();
    for (const [key, pojo] of data) {
      result.set(key, read.get(key) ?? factory.create(entity, pojo, { merge: true, convertCustomTypes: false, recomputeSnapshot: true }));
    }
    return result;
  }
}
