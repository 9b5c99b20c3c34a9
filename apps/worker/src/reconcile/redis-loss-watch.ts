import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_ENV, WorkerEnv } from '@sc/config';
import { REDIS_CLIENT } from '@sc/messaging';
import { MeetingReminders } from '@sc/core/meetings/meeting-reminders';
import { JobReconciler } from '@sc/core/work-orders/job-reconciler';

/**
 * Notices when Redis lost its jobs and has them re-enqueued from the database. A marker key
 * under the queue prefix lives as long as Redis keeps its data; when a tick finds it missing
 * (first start, a restart without persistence, a failover to an empty replica), the worker that
 * sets it again re-arms everything: unrouted alerts, undelivered deliveries, the SLA timers and
 * reminders of open orders, the reminders of scheduled joint meetings. Every tick also
 * re-enqueues alerts and deliveries stuck longer than RECONCILE_STUCK_SECONDS (a job that
 * vanished while Redis kept the rest). Re-enqueueing a job that still exists is a no-op.
 */
@Injectable()
export class RedisLossWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisLossWatch.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(APP_ENV) private readonly env: WorkerEnv,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly reconciler: JobReconciler,
    private readonly meetings: MeetingReminders,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One tick; public for tests. */
  async tick(now = new Date()): Promise<void> {
    let lost: boolean;
    try {
      lost = (await this.redis.set(`${this.env.QUEUE_PREFIX}:jobs-marker`, now.toISOString(), 'NX')) === 'OK';
    } catch {
      return; // Redis is down: the outbox holds new jobs; look again at the next tick.
    }
    const stuckBefore = lost ? now : new Date(now.getTime() - this.env.RECONCILE_STUCK_SECONDS * 1000);
    const result = await this.reconciler.reconcile({ timers: lost, stuckBefore });
    if (!lost) return;
    const meetingReminders = await this.meetings.rearm(now);
    this.logger.log({ ...result, meetingReminders }, 'Redis holds no jobs marker (first start or data lost): jobs re-armed from the database');
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'reconciling jobs failed; trying again at the next tick'))
        .finally(() => this.schedule(this.env.RECONCILE_SECONDS * 1000));
    }, delayMs);
  }
}
