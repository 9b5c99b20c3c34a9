import { Entity, PrimaryKey, Property, Opt } from '@mikro-orm/core';
import type { JobIntent } from '@sc/messaging';

/**
 * A job decided inside a database transaction and not yet handed to BullMQ. Written in the
 * same transaction as the change that decided it, relayed after commit, deleted once BullMQ
 * has it: a committed alert reaches its queue even if Redis was down when it committed, and
 * the deterministic job id keeps a row relayed twice (crash between add and delete) single.
 */
@Entity({ tableName: 'outbox' })
export class OutboxEntry {
  /** Increasing, so the relay hands jobs over in commit order. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  seq!: Opt<string>;

  @Property({ type: 'json' })
  intent!: JobIntent;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  /**
   * Not before this time: a row whose job the process that wrote it runs itself right after the
   * commit (a delivery sent at once) waits here in case that process fails; it deletes the row
   * when it succeeded. Null: relay at once.
   */
  @Property({ type: 'datetime', nullable: true })
  availableAt?: Date | null;

  /** Relay attempts that failed (Redis down); for the health view. */
  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;
}
