import { Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { QueueName } from '@sc/messaging';
import { JOB_LOCK_MS, QueueSettings, READY_WAIT_MS, settlesWithin, untilStarted } from '@sc/platform';
import { JobContext, JobOutcome, PermanentJobFailure } from './job-context';

/** How long aborted jobs get to hand themselves back before the shutdown stops waiting for them. */
const ABORT_SETTLE_MS = 2000;

export interface ManagedWorkerOptions {
  queue: QueueName;
  settings: QueueSettings;
  concurrency: number;
  /** Runs one job by its name; undefined when no handler is registered for it. */
  runnerOf: (name: string) => ((data: unknown, context: JobContext) => Promise<JobOutcome>) | undefined;
  /** Called when a job failed for good (copy to the dead-letter queue, mark the row). */
  bury: (job: Job, reason: string, attemptsMade: number) => Promise<void>;
}

/**
 * The lifecycle of one BullMQ worker (Novu style), so processors stay a guard and one call:
 * dispatch by job name, delays without using up an attempt, the last failed attempt to the
 * dead-letter queue, pause and resume, and a shutdown that waits for active jobs up to a bound.
 */
export class ManagedWorker {
  private readonly logger: Logger;
  private readonly worker: Worker;
  private readonly shutdown = new AbortController();
  private connectionDown = false;
  /** Jobs buried by process(); the 'failed' event that follows need not bury them again. */
  private readonly buried = new Set<string>();
  /** Jobs running now (for the shutdown log). */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: ManagedWorkerOptions) {
    this.logger = new Logger(`Worker:${options.queue}`);
    this.worker = new Worker(options.queue, (job, token) => this.track(this.process(job, token)), {
      connection: options.settings.connection,
      prefix: options.settings.prefix,
      concurrency: options.concurrency,
      lockDuration: JOB_LOCK_MS,
      // After a Redis outage, look for work again within a second (BullMQ's default waits 15 s).
      runRetryDelay: 1000,
      autorun: false,
    });
    this.worker.on('error', (error) => this.onError(error));
    this.worker.on('ready', () => this.onReady());
    // Backup for failures that never reached process() (a job stalled too often after crashes).
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
  }

  get queue(): QueueName {
    return this.options.queue;
  }

  start(): void {
    void this.worker.run().catch((error: unknown) => this.logger.error({ err: error, queue: this.queue }, 'worker stopped'));
    this.logger.log({ queue: this.queue, concurrency: this.options.concurrency }, 'worker started');
  }

  async pause(): Promise<void> {
    await this.worker.pause();
  }

  resume(): void {
    this.worker.resume();
  }

  /**
   * Stops taking jobs and waits for the active ones up to `graceMs`; past it, aborts them: they
   * go back to the queue (another worker takes them) and the worker closes. A handler that
   * ignores the abort is not waited for longer; its job's lock lapses and it is retried.
   */
  async close(graceMs: number): Promise<void> {
    await untilStarted(this.worker, Math.min(graceMs, READY_WAIT_MS));
    const closing = this.worker.close();
    if (await settlesWithin(closing, graceMs)) return;
    this.logger.warn({ queue: this.queue, graceMs, active: this.running.size }, 'active jobs did not finish within the shutdown grace; aborting them (they go back to the queue)');
    this.shutdown.abort(new Error('worker shutting down'));
    if (await settlesWithin(closing, ABORT_SETTLE_MS)) return;
    this.logger.error({ queue: this.queue, active: this.running.size }, 'a job ignored the shutdown; leaving it to the stalled-job check');
  }

  private track(work: Promise<void>): Promise<void> {
    this.running.add(work);
    const untrack = () => this.running.delete(work);
    work.then(untrack, untrack);
    return work;
  }

  private async process(job: Job, token?: string): Promise<void> {
    const run = this.options.runnerOf(job.name);
    if (!run) throw new UnrecoverableError(`no handler for job ${job.name}`);
    let outcome: JobOutcome;
    try {
      outcome = await run(job.data, { jobId: job.id ?? '', attemptsMade: job.attemptsMade, signal: this.shutdown.signal });
    } catch (error: unknown) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (this.shutdown.signal.aborted) {
        // Interrupted by shutdown, not failed: back to the queue without using up an attempt.
        await job.moveToWait(token).catch(() => undefined);
        throw new WaitingError();
      }
      const permanent = failure instanceof PermanentJobFailure;
      if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.options.bury(job, failure.message, job.attemptsMade + 1);
        if (job.id) this.buried.add(job.id);
      }
      throw permanent ? new UnrecoverableError(failure.message) : failure;
    }
    if (outcome && outcome.retryAt) {
      await job.moveToDelayed(outcome.retryAt.getTime(), token);
      throw new DelayedError();
    }
  }

  private async onFailed(job: Job | undefined, error: Error): Promise<void> {
    // finishedOn is set only when the job will not be retried.
    if (!job || !job.finishedOn || this.shutdown.signal.aborted) return;
    if (job.id && this.buried.delete(job.id)) return;
    try {
      await this.options.bury(job, error.message, job.attemptsMade);
    } catch (buryError: unknown) {
      this.logger.error({ err: buryError, queue: this.queue, jobId: job.id }, 'could not move a failed job to the dead-letter queue');
    }
  }

  /** One line per outage, not one per reconnect attempt. */
  private onError(error: Error): void {
    if (this.connectionDown) return;
    this.connectionDown = true;
    this.logger.warn({ queue: this.queue, err: error }, 'worker lost Redis; reconnecting');
  }

  private onReady(): void {
    if (!this.connectionDown) return;
    this.connectionDown = false;
    this.logger.log({ queue: this.queue }, 'worker reconnected to Redis');
  }
}
