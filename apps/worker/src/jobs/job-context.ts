/** What a job handler gets besides its payload. Free of BullMQ types: the lifecycle owner maps these. */
export interface JobContext {
  jobId: string;
  /** Attempts that failed before this one. */
  attemptsMade: number;
  /** Aborted when the worker is shutting down and its grace period ran out. */
  signal: AbortSignal;
}

/** A handler returns nothing, or asks to run again later without using up an attempt (a rate limit). */
export type JobOutcome = void | { retryAt: Date };

/** Retrying cannot help (malformed payload, target deleted): the job fails now and goes to the dead-letter queue. */
export class PermanentJobFailure extends Error {
  override readonly name = 'PermanentJobFailure';
}

/** The payload guard of thin processors: the named fields must be non-empty strings. */
export function requireStrings<K extends string>(data: unknown, fields: readonly K[]): Record<K, string> {
  if (typeof data !== 'object' || data === null) throw new PermanentJobFailure('job payload is not an object');
  const record = data as Record<string, unknown>;
  for (const field of fields) {
    if (typeof record[field] !== 'string' || record[field] === '') throw new PermanentJobFailure(`job payload has no ${field}`);
  }
  return record as Record<K, string>;
}
