import { IngestEnv, RuntimeSettings } from '@sc/config';
import { IngestSettings } from '@sc/core/telemetry/ingest-settings';

/** The pipeline's settings from the validated environment of the ingest (or all-in-one) app. */
export function ingestSettingsFromEnv(env: IngestEnv, runtime: RuntimeSettings): IngestSettings {
  return {
    batchMax: env.INGEST_BATCH_MAX,
    batchWaitMs: env.INGEST_BATCH_WAIT_MS,
    // PostgreSQL commits two batches at once (its work and ours overlap); SQLite has one writer.
    concurrentBatches: env.DATABASE_URL ? 2 : 1,
    timeWindow: { maxFutureMs: env.TS_MAX_FUTURE_SECONDS * 1000, maxAgeMs: env.TS_MAX_AGE_HOURS * 3_600_000 },
    retentionDays: env.EVENT_RETENTION_DAYS,
    quarantineMaxRows: env.QUARANTINE_MAX_ROWS,
    neverSeenGraceMinutes: env.NEVER_SEEN_GRACE_MINUTES,
    pseudonymKey: runtime.pseudonymKey,
  };
}
