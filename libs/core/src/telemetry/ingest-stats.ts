import { Injectable } from '@nestjs/common';
import { REJECTION_REASONS, RejectionReason } from '@sc/messaging/mqtt/rejection';
import { IngestResult } from './ingest-message';

export interface IngestCounts {
  /** New device_events rows. */
  stored: number;
  /** Redeliveries of messages already stored. */
  duplicates: number;
  /** Heartbeats and status messages (presence only). */
  applied: number;
  rejected: Record<RejectionReason, number>;
  /** Committed batches (transactions). */
  batches: number;
  /** Failed attempts to commit a batch (database unreachable, ...). */
  failedAttempts: number;
}

function zero(): IngestCounts {
  const rejected = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>;
  return { stored: 0, duplicates: 0, applied: 0, rejected, batches: 0, failedAttempts: 0 };
}

function add(into: IngestCounts, results: readonly IngestResult[]): void {
  into.batches += 1;
  for (const result of results) {
    if (result.status === 'stored') into.stored += 1;
    else if (result.status === 'duplicate') into.duplicates += 1;
    else if (result.status === 'applied') into.applied += 1;
    else into.rejected[result.reason] += 1;
  }
}

/**
 * Counters of the ingest since start, per outcome and per rejection reason, counted once a
 * batch has committed (a retried batch is counted once). `window()` gives the counts since the
 * previous call, for the periodic log line.
 */
@Injectable()
export class IngestStats {
  private readonly totals = zero();
  private current = zero();

  recordBatch(results: readonly IngestResult[]): void {
    add(this.totals, results);
    add(this.current, results);
  }

  recordFailedAttempt(): void {
    this.totals.failedAttempts += 1;
    this.current.failedAttempts += 1;
  }

  snapshot(): IngestCounts {
    return structuredClone(this.totals);
  }

  /** Counts since the last call, and starts a new window. */
  window(): IngestCounts {
    const out = this.current;
    this.current = zero();
    return out;
  }

  static rejectedTotal(counts: IngestCounts): number {
    return Object.values(counts.rejected).reduce((a, b) => a + b, 0);
  }
}
