import { TimeWindow } from '@sc/messaging/mqtt/payloads';

/** What the ingest pipeline is tuned with; the ingest app fills it from its validated environment. */
export interface IngestSettings {
  /** A batch (one transaction) closes at this many messages... */
  batchMax: number;
  /** ...or this long after its first message. */
  batchWaitMs: number;
  /** Batches written at once (each its own transaction). */
  concurrentBatches: number;
  /** Device timestamps accepted around the server clock. */
  timeWindow: TimeWindow;
  retentionDays: number;
  quarantineMaxRows: number;
  neverSeenGraceMinutes: number;
  /** Key of the keyed hash for personal identifiers in event data. */
  pseudonymKey: string;
}

export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');
