import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_ENV, IngestEnv } from '@sc/config';
import { EventTableMaintenance } from '@sc/core/telemetry/event-table-maintenance';
import { IngestPipeline } from '@sc/core/telemetry/ingest-pipeline';
import { IngestStats } from '@sc/core/telemetry/ingest-stats';
import { PresenceSweeper } from '@sc/core/telemetry/presence-sweeper';
import { INGEST_SOURCE, IngestSource } from './sources/ingest-source';

const STATS_EVERY_MS = 60_000;
/** Often enough that a flood of bad messages overshoots QUARANTINE_MAX_ROWS only briefly. */
const TRIM_EVERY_MS = 10_000;
const MAINTENANCE_EVERY_MS = 24 * 3_600_000;
/** Shutdown bounds: flushing the open batch, then closing the connections. */
const FLUSH_TIMEOUT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 3_000;

/**
 * The ingest's lifecycle: at start the event tables are prepared (partitions ahead), then the
 * pipeline and the source start; while running, the presence sweeper, the quarantine trim, the
 * daily table upkeep and a stats line each minute run on timers. On shutdown (bounded): stop
 * taking messages, flush the open batch, close the connections or the broker.
 */
@Injectable()
export class IngestRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IngestRunner.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<string>();

  constructor(
    @Inject(APP_ENV) private readonly env: IngestEnv,
    @Inject(INGEST_SOURCE) private readonly source: IngestSource,
    private readonly pipeline: IngestPipeline,
    private readonly stats: IngestStats,
    private readonly sweeper: PresenceSweeper,
    private readonly maintenance: EventTableMaintenance,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.run();
    this.pipeline.start();
    await this.source.start();
    this.every(this.env.PRESENCE_SWEEP_SECONDS * 1000, 'presence sweep', async () => {
      const changes = await this.sweeper.sweep();
      if (changes.length > 0) this.logger.log({ offline: changes.length }, 'devices marked offline');
    });
    this.every(TRIM_EVERY_MS, 'quarantine trim', () => this.maintenance.trimQuarantine());
    this.every(MAINTENANCE_EVERY_MS, 'event table maintenance', () => this.maintenance.run());
    this.every(STATS_EVERY_MS, 'stats', async () => this.logStats());
    this.logger.log({ source: this.source.kind, instance: this.env.INGEST_INSTANCE_ID, batchMax: this.env.INGEST_BATCH_MAX, batchWaitMs: this.env.INGEST_BATCH_WAIT_MS }, 'ingest pipeline running');
  }

  async onModuleDestroy(): Promise<void> {
    this.timers.forEach((timer) => clearInterval(timer));
    this.timers.length = 0;
    await this.pipeline.stop(FLUSH_TIMEOUT_MS);
    await this.source.stop(CLOSE_TIMEOUT_MS);
    this.logStats();
  }

  /** One structured line: this window's counts per outcome and rejection reason, and the totals. */
  private logStats(): void {
    const window = this.stats.window();
    const totals = this.stats.snapshot();
    const rejected = Object.fromEntries(Object.entries(window.rejected).filter(([, n]) => n > 0));
    this.logger.log(
      {
        stored: window.stored,
        duplicates: window.duplicates,
        applied: window.applied,
        rejected,
        rejectedTotal: IngestStats.rejectedTotal(window),
        batches: window.batches,
        failedAttempts: window.failedAttempts,
        pending: this.pipeline.pendingByLane(),
        healthy: this.pipeline.healthy,
        totals: { stored: totals.stored, duplicates: totals.duplicates, applied: totals.applied, rejected: IngestStats.rejectedTotal(totals) },
      },
      'ingest stats',
    );
  }

  /** A periodic job that never overlaps itself and whose failure is logged, not thrown. */
  private every(ms: number, name: string, job: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      if (this.running.has(name)) return;
      this.running.add(name);
      job()
        .catch((error: unknown) => this.logger.error({ err: error }, `${name} failed`))
        .finally(() => this.running.delete(name));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
