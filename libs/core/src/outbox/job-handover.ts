import type { JobIntent } from '@sc/messaging';

/** A hand-over Redis has not answered within this counts as failed (the relay's and the writer's alike): the rows stay for the relay. */
export const HANDOVER_TIMEOUT_MS = 5000;

/** One outbox row as it is relayed: its seq and the job intent it holds. */
export interface OutboxRow {
  seq: string;
  intent: JobIntent;
}

/**
 * Hands committed outbox rows to their queues from the process that wrote them, right after its
 * commit, instead of waiting for the worker's relay to hear of them (Outbox.enqueueForHandover).
 * Provided by apps that have BullMQ queues (libs/platform JobHandoverModule); throws when Redis
 * cannot take them.
 */
export abstract class JobHandover {
  abstract handOver(rows: readonly OutboxRow[]): Promise<void>;
}
