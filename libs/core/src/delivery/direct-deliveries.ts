import type { DeliveryRow } from './delivery-batches';

/**
 * How long the outbox rows of deliveries sent at once stay held: twice the longest target
 * timeout (30 s), so a send still waiting for its answer is never handed to the queue as well.
 * If the sending process dies, its deliveries go through the queue this much later.
 */
export const DIRECT_HOLD_MS = 60_000;

/** A delivery stored in a transaction whose process sends it itself after the commit. */
export interface HeldDelivery {
  /** The row as the transaction inserted it: the sender does not read it back. */
  row: Readonly<DeliveryRow>;
  /** Its outbox row, held until `holdUntil`. */
  seq: string;
}

/**
 * The deliveries of one transaction that its process sends right after the commit instead of
 * through the deliveries queue (the worker routing a batch of alerts): no relay round, no job
 * to add, fetch and finish, which is most of the way from a stored order to a received webhook.
 * Their outbox jobs are still written, held until `holdUntil`: the sender deletes them when the
 * send succeeded and releases them to the queue when it did not (the queue then retries with
 * backoff as usual); if the process dies first, the relay hands them over when the hold ends.
 * One per transaction attempt: a rolled-back attempt's collector is dropped with it.
 */
export class DirectDeliveries {
  readonly holdUntil: Date;
  readonly held: HeldDelivery[] = [];

  constructor(now = new Date()) {
    this.holdUntil = new Date(now.getTime() + DIRECT_HOLD_MS);
  }

  add(rows: readonly DeliveryRow[], seqs: readonly string[]): void {
    rows.forEach((row, i) => this.held.push({ row, seq: seqs[i] }));
  }
}
